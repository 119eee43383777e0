using System.Globalization;
using System.Text;
using Recording.Media.Manifest;

namespace Recording.Media.Capture;

/// <summary>
/// Writes the recording's HLS event playlist from the manifest: every segment with its probed duration,
/// #EXT-X-DISCONTINUITY where ffmpeg restarted (after a source loss or a crash), #EXT-X-ENDLIST once the capture ended.
/// Replaced atomically, so a player polling it never reads half a playlist.
/// </summary>
public static class HlsPlaylistWriter
{
    public static string Render(IReadOnlyList<SegmentEntry> segments, ISet<int> runStarts, bool ended)
    {
        var target = segments.Count == 0 ? 1 : (int)Math.Ceiling(segments.Max(s => s.DurationSeconds));
        var text = new StringBuilder();
        text.Append("#EXTM3U\n#EXT-X-VERSION:7\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(1, target)}\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MEDIA-SEQUENCE:{(segments.Count == 0 ? 0 : segments[0].Index)}\n");
        text.Append("#EXT-X-PLAYLIST-TYPE:EVENT\n");
        string? currentInit = null;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i > 0 && (runStarts.Contains(segment.Index) || segment.Index != segments[i - 1].Index + 1 || segment.InitFile != currentInit))
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            if (segment.InitFile is not null && segment.InitFile != currentInit)
            {
                text.Append(CultureInfo.InvariantCulture, $"#EXT-X-MAP:URI=\"{segment.InitFile}\"\n");
            }

            currentInit = segment.InitFile;
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segment.DurationSeconds:0.000},\n{segment.File}\n");
        }

        if (ended)
        {
            text.Append("#EXT-X-ENDLIST\n");
        }

        return text.ToString();
    }

    public static async Task WriteAsync(string directory, IReadOnlyList<SegmentEntry> segments, ISet<int> runStarts, bool ended, CancellationToken cancellationToken = default)
    {
        var target = Path.Combine(directory, SegmentNaming.PlaylistName);
        var temporary = target + ".tmp";
        await File.WriteAllTextAsync(temporary, Render(segments, runStarts, ended), cancellationToken);
        File.Move(temporary, target, overwrite: true);
    }
}
