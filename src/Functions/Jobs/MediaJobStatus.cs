using Recording.Media.Jobs;

namespace Recording.Functions.Jobs;

/// <summary>What <see cref="IMediaJobRunner.EnsureAsync"/> found, and the result once there is one.</summary>
public sealed record MediaJobStatus(MediaJobState State, MediaJobResult? Result = null)
{
    public static MediaJobStatus Finished(MediaJobResult result) => new(MediaJobState.Finished, result);
}
