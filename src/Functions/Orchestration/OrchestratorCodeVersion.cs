namespace Recording.Functions.Orchestration;

/// <summary>
/// The version of this build's orchestrator code, stamped on every recording and composition it starts (the default of
/// <c>Recording:Engine:DefaultVersion</c>). Raise it with a change that would replay an in-flight instance differently (a step
/// added, removed or moved in <see cref="RecordingOrchestrator"/> or <see cref="CompositionOrchestrator"/>), and keep the old
/// steps behind <c>context.Version</c> for instances of older versions: during a rolling upgrade the old service instances
/// then leave the new recordings alone, and the new ones carry the old recordings on.
/// </summary>
public static class OrchestratorCodeVersion
{
    /// <summary>The version this build stamps.</summary>
    public const string Current = SegmentEventsInOrder;

    /// <summary>
    /// 2: a recording's segment events are taken in index order whatever order they arrive in (the splice and HLS steps
    /// wait for the next index while the capture runs), the capture's end waits for the segment events it overtook, and a
    /// source loss that arrives after its own resume is ignored. Before (1, or no version): in arrival order, which could
    /// leave a segment out of the file spliced while recording, or a recording shown interrupted that was not.
    /// </summary>
    public const string SegmentEventsInOrder = "2";
}
