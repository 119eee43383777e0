using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>The job to cancel (its id and output folder say where its marker goes) and why, as its result will say.</summary>
public sealed record CancelMediaJobInput(MediaJobRequest Request, string Reason);
