namespace Recording.Functions.Notifications;

/// <summary>A delivery whose host resolves only to loopback or private addresses while private networks are not allowed; not retried.</summary>
public sealed class PrivateAddressRefusedException(string host)
    : IOException($"refused: '{host}' resolves only to loopback or private addresses, and Recording:Orchestration:AllowPrivateNetworks is off");
