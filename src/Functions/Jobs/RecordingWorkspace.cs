using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;

namespace Recording.Functions.Jobs;

/// <summary>Where a recording's local files live: <c>{DataDirectory}/recordings/{id}/</c> with <c>capture/</c> (segments, manifest), the job's files and post-processing output; a composition's beside them.</summary>
public sealed class RecordingWorkspace(IOptions<LocalDataOptions> options)
{
    public string Root => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "recordings");

    /// <summary>The recording's folder; the id has passed the name rules (letters, digits, '-', '_'), so it cannot leave <see cref="Root"/>.</summary>
    public string WorkFolder(string recordingId) => Path.Combine(Root, recordingId);

    /// <summary>
    /// A composition's folder: under <see cref="Root"/> too, since media jobs accept only folders there (their --output-root),
    /// in <c>.compositions/</c>, a name no recording id can take.
    /// </summary>
    public string CompositionFolder(string compositionId) => Path.Combine(Root, ".compositions", compositionId);

    /// <summary>
    /// Where a deleted recording's folder is kept when its assets are (<c>.deleted/{id}-{time}</c>): out of the way of a new
    /// recording that takes the id, which must not find the old one's job state.
    /// </summary>
    public string SetAsideFolder(string recordingId, DateTimeOffset at)
        => Path.Combine(Root, ".deleted", $"{recordingId}-{at.UtcDateTime:yyyyMMdd'T'HHmmssfff}");
}
