namespace Recording.Media.Capture;

/// <summary>Why a capture ended, as written to the manifest and the exited event (kebab-case strings, a stable contract).</summary>
public static class CaptureExitReason
{
    public const string Stopped = "stopped";
    public const string MaxDuration = "max-duration";
    public const string SourceLost = "source-lost";
    public const string DiskLow = "disk-low";
    public const string Failed = "failed";
}
