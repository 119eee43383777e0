using System.Globalization;
using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;

namespace Recording.Functions.Events;

/// <summary>
/// Stop events that came before their start. Event Grid does not keep order, and a start whose delivery failed is
/// delivered again after the stop that followed it: without a record of that stop, the late start would record until its
/// maximum duration. A stop event for an id with no recording leaves a marker for <see cref="Window"/> (as long as Event
/// Grid retries a delivery); a start event for that id within it starts nothing. Markers are files beside the recordings
/// (<c>recordings/.early-stops/{id}</c>), on the share every service instance mounts.
/// </summary>
public sealed class EarlyStops(IOptions<LocalDataOptions> local, TimeProvider clock)
{
    /// <summary>Event Grid's default event time to live.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private string Folder => Path.Combine(Path.GetFullPath(local.Value.DataDirectory), "recordings", ".early-stops");

    /// <summary>Remembers a stop for <paramref name="recordingId"/> (a valid recording id), and forgets those past the window.</summary>
    public async Task RememberAsync(string recordingId, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Folder);
        foreach (var old in Directory.EnumerateFiles(Folder).Where(f => StoppedAt(f) is not { } at || clock.GetUtcNow() - at >= Window))
        {
            File.Delete(old);
        }

        await File.WriteAllTextAsync(Path.Combine(Folder, recordingId), clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>Whether a stop for <paramref name="recordingId"/> came within the window and before any recording of it.</summary>
    public bool Holds(string recordingId) => StoppedAt(Path.Combine(Folder, recordingId)) is { } at && clock.GetUtcNow() - at < Window;

    private static DateTimeOffset? StoppedAt(string path)
    {
        try
        {
            return DateTimeOffset.TryParse(File.ReadAllText(path), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
