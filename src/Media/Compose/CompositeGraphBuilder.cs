using System.Globalization;
using System.Text;
using Recording.Media.Validation;

namespace Recording.Media.Compose;

/// <summary>
/// Builds the one ffmpeg command of a composite. The timeline is cut into intervals in which the same participants are
/// present; each interval is laid out for its count (xstack of scaled, letterboxed tiles) and the intervals are joined by
/// the concat filter, all in one graph, so every source is decoded once and the output encoded once. Inputs are
/// normalised with fps= first (grids drop frames otherwise) and padded by cloning their last frame if a file ends
/// before its participant leaves. Both streams of a file keep the file's own clock: a picture that starts after the
/// sound (an SFU track whose first keyframe came late) is held on its first frame from 0, and sound that starts after
/// the picture is preceded by silence, so lips stay in sync instead of each stream being moved to 0 on its own. Audio
/// is every present track delayed to its joinAt and summed (amix, normalize off), so it stays continuous across layout
/// changes.
/// </summary>
public static class CompositeGraphBuilder
{
    private const double MinInterval = 0.001;

    /// <summary>
    /// What follows the mix: silence to the composite's end, cut there. amix can give its last frame no timestamp (ffmpeg 5.1,
    /// when its inputs end in a certain order); an open apad then stamps all its silence the same way, and atrim, which
    /// cuts by timestamp, never ends it: the encode ran on past the composite's end until the job was stopped. So the
    /// timestamps are rebuilt from the sample count (the mix is continuous from 0), and the padding stops by itself.
    /// </summary>
    internal static string MixEnding(double duration)
        => string.Create(CultureInfo.InvariantCulture, $",asetpts=N/SR/TB,apad=whole_dur={S(duration)},atrim=duration={S(duration)}");

    /// <summary>Constant-membership intervals of [0, duration), in order.</summary>
    public static IReadOnlyList<(double Start, double End, IReadOnlyList<PreparedTrack> Present)> Intervals(IReadOnlyList<PreparedTrack> tracks, double duration, CompositeLayout layout)
    {
        var cuts = tracks.SelectMany(t => new[] { t.JoinAt, t.LeaveAt }).Append(0).Append(duration).Where(c => c >= 0 && c <= duration).Distinct().Order().ToList();
        var result = new List<(double, double, IReadOnlyList<PreparedTrack>)>();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var (start, end) = (cuts[i], cuts[i + 1]);
            if (end - start < MinInterval)
            {
                continue;
            }

            var present = tracks.Where(t => t.JoinAt <= start + MinInterval && t.LeaveAt >= end - MinInterval);
            var ordered = layout == CompositeLayout.Grid
                ? present.OrderBy(t => t.JoinAt).ThenBy(t => t.Input)
                : present.OrderBy(t => t.Role.Equals("host", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(t => t.JoinAt).ThenBy(t => t.Input);
            var list = ordered.ToList();
            result.Add((start, end, layout == CompositeLayout.Single ? list.Take(1).ToList() : list));
        }

        return result;
    }

    public static List<string> Build(IReadOnlyList<PreparedTrack> tracks, double duration, CompositeRequest request, string outputPath, string labelFolder, string? fontFile)
    {
        var size = request.Size;
        var fps = request.FrameRate.ToString(CultureInfo.InvariantCulture);
        var intervals = Intervals(tracks, duration, request.Layout);
        var arguments = new List<string> { "-hide_banner", "-nostdin", "-y", "-v", "error" };
        foreach (var track in tracks)
        {
            if (track.Offset > 0)
            {
                // Input seeking; ffmpeg decodes from the keyframe before and drops up to the offset, so the piece starts exactly there.
                arguments.AddRange(["-ss", S(track.Offset)]);
            }

            arguments.AddRange(["-i", LocalMediaPath.AsFfmpegInput(track.Path)]);
        }

        var graph = new StringBuilder();
        // How many interval branches each video track feeds.
        var uses = tracks.ToDictionary(t => t.Input, t => intervals.Count(i => i.Present.Contains(t) && t.HasVideo));
        var next = tracks.ToDictionary(t => t.Input, _ => 0);
        foreach (var track in tracks.Where(t => t.HasVideo && uses[t.Input] > 0))
        {
            graph.Append(CultureInfo.InvariantCulture, $"[{track.Input}:v:0]fps={fps}:start_time=0,tpad=stop_mode=clone:stop_duration={S(track.Length)},trim=duration={S(track.Length)}");
            graph.Append(uses[track.Input] == 1 ? $"[t{track.Input}_0];" : $",split={uses[track.Input]}" + string.Concat(Enumerable.Range(0, uses[track.Input]).Select(j => $"[t{track.Input}_{j}]")) + ";");
        }

        for (var j = 0; j < intervals.Count; j++)
        {
            var (start, end, present) = intervals[j];
            var length = S(end - start);
            var tiles = TileLayouts.For(request.Layout, present.Count, size);
            if (present.Count == 0)
            {
                graph.Append(CultureInfo.InvariantCulture, $"color=c=black:s={size}:r={fps}:d={length},format=yuv420p,setsar=1[iv{j}];");
                continue;
            }

            for (var k = 0; k < present.Count; k++)
            {
                var track = present[k];
                var tile = tiles[k];
                if (track.HasVideo)
                {
                    var branch = next[track.Input]++;
                    graph.Append(CultureInfo.InvariantCulture,
                        $"[t{track.Input}_{branch}]trim=start={S(start - track.JoinAt)}:end={S(end - track.JoinAt)},setpts=PTS-STARTPTS,scale={tile.Width}:{tile.Height}:force_original_aspect_ratio=decrease,pad={tile.Width}:{tile.Height}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1");
                    if (request.NameLabels && fontFile is not null)
                    {
                        graph.Append(',').Append(Label(track, tile, labelFolder, fontFile, bottom: true));
                    }
                }
                else
                {
                    graph.Append(CultureInfo.InvariantCulture, $"color=c=0x2b2d42:s={tile.Width}x{tile.Height}:r={fps}:d={length},setsar=1");
                    if (fontFile is not null)
                    {
                        graph.Append(',').Append(Label(track, tile, labelFolder, fontFile, bottom: false));
                    }
                }

                graph.Append(CultureInfo.InvariantCulture, $",format=yuv420p[c{j}_{k}];");
            }

            if (present.Count == 1)
            {
                graph.Append(CultureInfo.InvariantCulture, $"[c{j}_0]pad={size.Width}:{size.Height}:{tiles[0].X}:{tiles[0].Y}:color=black,setsar=1[iv{j}];");
            }
            else
            {
                graph.Append(string.Concat(Enumerable.Range(0, present.Count).Select(k => $"[c{j}_{k}]")));
                graph.Append(CultureInfo.InvariantCulture, $"xstack=inputs={present.Count}:layout={string.Join('|', tiles.Select(t => $"{t.X}_{t.Y}"))}:fill=black,");
                graph.Append(CultureInfo.InvariantCulture, $"pad={size.Width}:{size.Height}:0:0:color=black,setsar=1[iv{j}];");
            }
        }

        graph.Append(string.Concat(Enumerable.Range(0, intervals.Count).Select(j => $"[iv{j}]")));
        graph.Append(CultureInfo.InvariantCulture, $"concat=n={intervals.Count}:v=1:a=0[vout];");

        var audible = tracks.Where(t => t.HasAudio).ToList();
        foreach (var track in audible)
        {
            var delay = (long)Math.Round(track.JoinAt * 1000);
            graph.Append(CultureInfo.InvariantCulture,
                $"[{track.Input}:a:0]aresample=48000:async=1:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_dur={S(track.Length)},atrim=duration={S(track.Length)},adelay={delay}:all=1[a{track.Input}];");
        }

        if (audible.Count == 0)
        {
            graph.Append(CultureInfo.InvariantCulture, $"anullsrc=r=48000:cl=stereo:d={S(duration)},atrim=duration={S(duration)}[aout]");
        }
        else
        {
            graph.Append(string.Concat(audible.Select(t => $"[a{t.Input}]")));
            graph.Append(audible.Count == 1 ? "anull" : $"amix=inputs={audible.Count}:duration=longest:dropout_transition=0:normalize=0");
            graph.Append(MixEnding(duration)).Append("[aout]");
        }

        arguments.AddRange(["-filter_complex", graph.ToString()]);
        arguments.AddRange([
            "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-preset", request.X264Preset, "-crf", request.Crf.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p",
            "-r", fps, "-g", (request.FrameRate * 2).ToString(CultureInfo.InvariantCulture),
            "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart",
            // The graph ends every stream at the composite's end; -t also stops one whose timestamps run past it (not frames that
            // carry none: that is MixEnding's part).
            "-t", S(duration), outputPath,
        ]);
        return arguments;
    }

    /// <summary>A drawtext reading the name from a file we write, so no participant text is ever parsed as filter syntax.</summary>
    private static string Label(PreparedTrack track, TileRect tile, string labelFolder, string fontFile, bool bottom)
    {
        var file = Path.Combine(labelFolder, $"name-{track.Input}.txt");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, new string([.. track.Participant.Where(c => !char.IsControl(c))]));
        }

        var fontSize = Math.Max(12, tile.Height / (bottom ? 14 : 8));
        var y = bottom ? "h-th-10" : "(h-th)/2";
        return $"drawtext=fontfile={Escape(fontFile)}:textfile={Escape(file)}:expansion=none:fontcolor=white:fontsize={fontSize}:x=(w-tw)/2:y={y}:box=1:boxcolor=black@0.5:boxborderw=6";
    }

    /// <summary>Escapes a path for a filter option value (our own paths; quotes, colons and backslashes only).</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\\\\\", StringComparison.Ordinal).Replace("'", "\\\\\\'", StringComparison.Ordinal).Replace(":", "\\\\:", StringComparison.Ordinal);

    private static string S(double seconds) => seconds.ToString("0.######", CultureInfo.InvariantCulture);
}
