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
    public const string Current = "1";
}
