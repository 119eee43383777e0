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
    public const string Current = NotificationsBesideTheLoop;

    /// <summary>
    /// 2: a recording's segment events are taken in index order whatever order they arrive in (the splice and HLS steps
    /// wait for the next index while the capture runs), the capture's end waits for the segment events it overtook, and a
    /// source loss that arrives after its own resume is ignored. Before (1, or no version): in arrival order, which could
    /// leave a segment out of the file spliced while recording, or a recording shown interrupted that was not.
    /// </summary>
    public const string SegmentEventsInOrder = "2";

    /// <summary>
    /// 3: a recording's notifications are delivered beside its event loop, as its uploads are: a webhook receiver that is slow
    /// or down (up to about a minute and a half of retries per event) no longer holds back the next segment's upload, a stop
    /// request or the maximum duration. Each event's delivery runs on its own, so receivers may see them out of order (the
    /// sequence number orders them); the final event (<c>recording.completed</c> or <c>recording.failed</c>) is sent once all
    /// before it are done. Before (2 and older): each event was delivered before the next step.
    /// </summary>
    public const string NotificationsBesideTheLoop = "3";
}
