namespace Recording.Media.Verification;

/// <summary>When one packet is decoded (seconds on its file's timeline) and for how long it lasts, if the container says.</summary>
public sealed record PacketTiming(double Dts, double? Duration);
