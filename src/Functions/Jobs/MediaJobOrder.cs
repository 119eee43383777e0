using Recording.Media.Jobs;

namespace Recording.Functions.Jobs;

/// <summary>A media job for a recording: the recording (whose orchestration hears the end) and the worker's request.</summary>
/// <param name="MayStart">False once the orchestrator has started the job as often as it allows: the runner then only reports.</param>
public sealed record MediaJobOrder(string RecordingId, MediaJobRequest Request, bool MayStart = true);
