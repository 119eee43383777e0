using Recording.Media.Jobs;

namespace Recording.Functions.Jobs;

/// <summary>External event names of a recording's media jobs: one per operation, since a recording runs each at most once at a time.</summary>
public static class MediaJobEvents
{
    /// <summary>The event that carries a job's <see cref="MediaJobResult"/>, e.g. <c>media-job-ladder</c>.</summary>
    public static string Name(MediaJobOperation operation) => "media-job-" + operation.ToString().ToLowerInvariant();
}
