using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;

namespace Recording.Functions.Jobs;

/// <summary>Where a recording's local files live: <c>{DataDirectory}/recordings/{id}/</c> with <c>capture/</c> (segments, manifest), the job's files and post-processing output.</summary>
public sealed class RecordingWorkspace(IOptions<LocalDataOptions> options)
{
    public string Root => Path.Combine(Path.GetFullPath(options.Value.DataDirectory), "recordings");

    /// <summary>The recording's folder; the id has passed the name rules (letters, digits, '-', '_'), so it cannot leave <see cref="Root"/>.</summary>
    public string WorkFolder(string recordingId) => Path.Combine(Root, recordingId);
}
