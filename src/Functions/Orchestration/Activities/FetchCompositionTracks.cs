using System.Security.Cryptography;
using System.Text.Json;
using Recording.Durable.Activities;
using Recording.Functions.Storage;
using Recording.Media.Compose;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Downloads each participant's spliced file from their recording's destination into <c>{work}/tracks/</c> and writes the
/// compose job's <c>timeline.json</c> beside them, one entry per presence; returns the timeline's path. From the destination
/// rather than the recordings' local folders: those are released once a recording completes, and in Azure may lie on
/// another replica's disk.
/// </summary>
/// <remarks>At least once: a track already fetched whole (its size is the object's) is not fetched again.</remarks>
public sealed class FetchCompositionTracks(RecordingDestinations destinations) : TaskActivity<FetchCompositionTracksInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, FetchCompositionTracksInput input)
    {
        var cancellationToken = context.CancellationToken;
        var folder = Path.Combine(input.WorkFolder, "tracks");
        Directory.CreateDirectory(folder);
        var tracks = new List<TimelineTrack>();
        for (var i = 0; i < input.Sources.Count; i++)
        {
            var source = input.Sources[i];
            var file = $"{i:00}{Path.GetExtension(source.SplicedKey)}";
            await FetchAsync(source, Path.Combine(folder, file), cancellationToken);
            tracks.AddRange(source.Track.Presences.Select(presence => new TimelineTrack
            {
                File = "tracks/" + file,
                Participant = source.Track.Participant,
                Role = source.Track.Role,
                JoinAt = presence.JoinAt,
                LeaveAt = presence.LeaveAt,
                Offset = presence.Offset,
            }));
        }

        var timeline = Path.Combine(input.WorkFolder, "timeline.json");
        await File.WriteAllTextAsync(timeline, JsonSerializer.Serialize(new CompositeTimeline { Duration = tracks.Max(t => t.LeaveAt), Tracks = tracks }, CompositeTimeline.JsonOptions), cancellationToken);
        return timeline;
    }

    private async Task FetchAsync(CompositionSource source, string path, CancellationToken cancellationToken)
    {
        using var destination = await destinations.OpenAsync(source.Recording, cancellationToken);
        var stored = await destination.HeadAsync(source.SplicedKey, cancellationToken)
            ?? throw new FileNotFoundException($"The spliced file of recording '{source.Track.RecordingId}' is no longer in its destination ({source.SplicedKey}).");
        if (File.Exists(path) && new FileInfo(path).Length == stored.Size)
        {
            return;
        }

        var partial = path + ".part";
        await using (var read = await destination.OpenReadAsync(source.SplicedKey, cancellationToken: cancellationToken))
        await using (var write = File.Create(partial))
        {
            await read.CopyToAsync(write, cancellationToken);
        }

        if (new FileInfo(partial).Length != stored.Size)
        {
            throw new IOException($"The spliced file of recording '{source.Track.RecordingId}' arrived with {new FileInfo(partial).Length} of its {stored.Size} bytes.");
        }

        // The SHA-256 our uploader stored beside the object, where the destination keeps it: what arrived is what was recorded.
        if (stored.Sha256 is { } expected)
        {
            await using var arrived = File.OpenRead(partial);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(arrived, cancellationToken));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new IOException($"The spliced file of recording '{source.Track.RecordingId}' arrived with SHA-256 {actual}, not the {expected} it was uploaded with.");
            }
        }

        File.Move(partial, path, overwrite: true);
    }
}
