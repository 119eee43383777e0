namespace Recording.Functions.Network;

/// <summary>
/// A connection to a host that resolves only to loopback or private addresses while private networks are not allowed. An
/// access refusal, not an I/O fault: no retry reaches it (the storage layer retries I/O faults, never this).
/// </summary>
public sealed class PrivateAddressRefusedException(string host)
    : UnauthorizedAccessException($"refused: '{host}' resolves only to loopback or private addresses, and Recording:Orchestration:AllowPrivateNetworks is off");
