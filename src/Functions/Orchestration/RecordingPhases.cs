namespace Recording.Functions.Orchestration;

/// <summary>The phases a recording goes through, as its custom status names them.</summary>
public static class RecordingPhases
{
    public const string Starting = "starting";
    public const string Recording = "recording";
    public const string Interrupted = "interrupted";
    public const string Stopping = "stopping";
    public const string PostProcessing = "post-processing";
    public const string Notifying = "notifying";
    public const string Done = "done";
    public const string Failed = "failed";
}
