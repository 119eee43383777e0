using Recording.Media.Manifest;

namespace Recording.Media.Capture;

/// <summary>
/// Rebuilds the segment list of a folder a crashed capture left behind, from the files themselves: every segment file
/// is probed and hashed. An entry of an old manifest is kept only when its file still has the same bytes and hash;
/// every other readable file becomes a crash-recovery entry whose duration is what ffprobe finds (for a truncated
/// fMP4, its complete fragments).
/// </summary>
public sealed class CrashRecovery
{
    private readonly SegmentInspector inspector;

    public CrashRecovery(SegmentInspector inspector)
    {
        this.inspector = inspector;
    }

    public async Task<RecoveredFolder> RecoverAsync(string directory, SegmentNaming naming, CancellationToken cancellationToken = default)
    {
        SegmentManifest? previous = null;
        if (File.Exists(ManifestFile.PathIn(directory)))
        {
            try
            {
                previous = await ManifestFile.ReadAsync(directory, cancellationToken);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException)
            {
                // A half-written or foreign manifest: the files are the truth anyway.
            }
        }

        var files = Directory.EnumerateFiles(directory)
            .Select(path => (Path: path, Index: naming.IndexOf(path)))
            .Where(f => f.Index is not null)
            .OrderBy(f => f.Index)
            .ToList();
        var inits = Directory.EnumerateFiles(directory).Select(Path.GetFileName).Where(n => SegmentNaming.InitRun(n!) is not null).Order(StringComparer.Ordinal).ToList();
        var entries = new List<SegmentEntry>();
        var unreadable = new List<string>();
        foreach (var (path, index) in files)
        {
            var name = Path.GetFileName(path);
            var known = previous?.Segments.FirstOrDefault(s => s.File == name);
            var init = naming.Format == SegmentFormat.Hls && naming.HlsSegmentType == HlsSegmentType.Fmp4
                ? known?.InitFile ?? inits.LastOrDefault()
                : null;
            var inspected = await inspector.InspectAsync(directory, name, init, cancellationToken);
            if (inspected is null)
            {
                unreadable.Add(name);
                continue;
            }

            if (known is not null && known.Sha256 == inspected.Sha256 && known.Bytes == inspected.Bytes)
            {
                entries.Add(known);
                continue;
            }

            // The wall clock of a crashed segment is not recorded anywhere; its last write is when its media ended.
            var ended = new DateTimeOffset(inspected.LastWriteUtc, TimeSpan.Zero);
            entries.Add(new SegmentEntry
            {
                Index = index!.Value,
                File = name,
                StartedAt = ended - inspected.Duration,
                EndedAt = ended,
                DurationSeconds = Math.Round(inspected.Duration.TotalSeconds, 3),
                Bytes = inspected.Bytes,
                Sha256 = inspected.Sha256,
                Streams = inspected.Streams,
                EndReason = SegmentEndReason.CrashRecovery,
                InitFile = init,
            });
        }

        var nextIndex = files.Count == 0 ? 0 : files[^1].Index!.Value + 1;
        var nextRun = inits.Count == 0 ? 0 : inits.Max(n => SegmentNaming.InitRun(n!)!.Value) + 1;
        return new RecoveredFolder(previous, entries, unreadable, nextIndex, nextRun);
    }
}

/// <summary>What a capture folder held when a capture started on it.</summary>
/// <param name="NextIndex">One past the highest segment index on disk, readable or not, so nothing is overwritten.</param>
public sealed record RecoveredFolder(SegmentManifest? Previous, IReadOnlyList<SegmentEntry> Segments, IReadOnlyList<string> Unreadable, int NextIndex, int NextRun);
