namespace Recording.Functions.Jobs;

/// <summary>External event names of the recording orchestration.</summary>
public static class CaptureEventNames
{
    /// <summary>Every capture event, in the order the worker wrote them (payload: a <c>CaptureEvent</c> with its <c>type</c>).</summary>
    public const string Capture = "capture";

    /// <summary>The stop request from <c>POST /api/recordings/{id}/stop</c>.</summary>
    public const string Stop = "stop";
}
