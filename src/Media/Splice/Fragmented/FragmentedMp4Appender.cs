using System.Buffers.Binary;
using Recording.Media.Ffmpeg;
using Recording.Media.Verification;

namespace Recording.Media.Splice.Fragmented;

/// <summary>
/// Splices fragmented MP4 segments one at a time, while the recording goes on, into one fragmented MP4: the first
/// segment gives the init (ftyp, moov), and every segment's fragments are copied in byte for byte, renumbered (mfhd)
/// and moved on the timeline (tfdt) so that each segment starts where the previous one ended (gaps closed, as the
/// <c>cut</c> gap policy). At the stop only the last segment is appended and the total duration filled in, so the
/// spliced file is ready in a time that does not grow with the recording's length.
/// </summary>
/// <remarks>
/// Each append is checked by decoding a window around its join; <see cref="FinishAsync"/> checks the whole with ffprobe
/// (which walks every fragment header) and decodes its start and last join. A segment whose codec parameters differ
/// from the first one's raises <see cref="IncompatibleSegmentException"/>: that recording is spliced the classic way.
/// </remarks>
public sealed class FragmentedMp4Appender
{
    private readonly DecodeCheck decoder;
    private readonly OutputVerifier verifier;

    public FragmentedMp4Appender(FfmpegOptions? ffmpeg = null)
    {
        decoder = new DecodeCheck(ffmpeg);
        verifier = new OutputVerifier(ffmpeg);
    }

    /// <summary>
    /// Appends segment <paramref name="index"/> to <paramref name="outputPath"/> (created by the first append). Repeating an
    /// append with the same state (a retried activity) gives the same file: it first cuts off whatever a failed attempt wrote.
    /// </summary>
    public async Task<FragmentedSpliceState> AppendAsync(string outputPath, FragmentedSpliceState? state, string segmentPath, int index, CancellationToken cancellationToken = default)
    {
        state ??= new FragmentedSpliceState { Indices = [] };
        if (index <= state.LastIndex)
        {
            if (state.Indices is null || state.Indices.Contains(index))
            {
                return state; // already in: a retried append
            }

            // A file grows only at its end: a segment that comes after a later one was appended cannot go in its place.
            throw new IncompatibleSegmentException(segmentPath, $"segment {index} came after segment {state.LastIndex} was appended");
        }

        await using var input = new FileStream(segmentPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var boxes = Mp4Box.ReadTopLevel(input);
        var moovBox = boxes.Find(b => b.Type == "moov");
        if (moovBox.Type is null)
        {
            throw new IncompatibleSegmentException(segmentPath, "it is not a fragmented MP4 (no moov)");
        }

        FragmentedInit init;
        List<(MovieFragment Fragment, Mp4Box Mdat)> fragments;
        try
        {
            init = FragmentedInit.Parse(await ReadAsync(input, moovBox, cancellationToken));
            fragments = await ReadFragmentsAsync(input, boxes, init, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            throw new IncompatibleSegmentException(segmentPath, e.Message);
        }

        if (state.Segments > 0 && init.CodecKey != state.CodecKey)
        {
            throw new IncompatibleSegmentException(segmentPath, "its codec parameters differ from the first segment's");
        }

        if (fragments.Count == 0)
        {
            return state with { LastIndex = index, Indices = Taken(state, index) }; // nothing whole to add (a capture killed as it began)
        }

        var firstByTrack = new Dictionary<uint, long>();
        foreach (var track in fragments.SelectMany(f => f.Fragment.Tracks))
        {
            firstByTrack[track.TrackId] = Math.Min(firstByTrack.GetValueOrDefault(track.TrackId, long.MaxValue), track.DecodeTime);
        }

        // Every track moves by the same time, so the segment's own audio/video alignment is kept; the segment begins where
        // the latest track of the spliced file ends (rounded up: no track may overlap its own past).
        var pieceStart = firstByTrack.Min(t => (decimal)t.Value / Timescale(init, t.Key));
        var outputEnd = state.Tracks.Count == 0 ? 0m : state.Tracks.Max(t => (decimal)t.End / t.Timescale);
        var shifts = init.Tracks.ToDictionary(t => t.Id, t => (long)Math.Ceiling((outputEnd - pieceStart) * t.Timescale));

        var first = state.Segments == 0;
        var ends = state.Tracks.ToDictionary(t => t.Id, t => t.End);
        var sequence = state.NextSequence;
        await using (var output = new FileStream(outputPath, first ? FileMode.Create : FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1 << 16, useAsync: true))
        {
            if (first)
            {
                var ftyp = boxes.Find(b => b.Type == "ftyp");
                if (ftyp.Type is not null)
                {
                    await output.WriteAsync(await ReadAsync(input, ftyp, cancellationToken), cancellationToken);
                }

                await output.WriteAsync(init.WithMovieExtendsHeader(), cancellationToken);
            }
            else
            {
                output.SetLength(state.Length);
                output.Position = state.Length;
            }

            foreach (var (fragment, mdat) in fragments)
            {
                await output.WriteAsync(fragment.Rewrite(sequence++, shifts), cancellationToken);
                input.Position = mdat.Offset;
                await CopyAsync(input, output, mdat.Size, cancellationToken);
                foreach (var track in fragment.Tracks)
                {
                    ends[track.TrackId] = Math.Max(ends.GetValueOrDefault(track.TrackId), track.End + shifts[track.TrackId]);
                }
            }

            await output.FlushAsync(cancellationToken);
            output.Flush(flushToDisk: true);
            state = state with
            {
                Length = output.Length,
                LastIndex = index,
                Indices = Taken(state, index),
                NextSequence = sequence,
                CodecKey = first ? init.CodecKey : state.CodecKey,
                Tracks = init.Tracks.Select(t => new SplicedTrack(t.Id, t.Handler, t.Timescale, ends.GetValueOrDefault(t.Id))).ToList(),
                Joins = first ? [] : [.. state.Joins, TimeSpan.FromTicks((long)(outputEnd * TimeSpan.TicksPerSecond))],
                Segments = state.Segments + 1,
            };
        }

        if (!first)
        {
            var join = state.Joins[^1];
            var report = await decoder.RunWindowsAsync(outputPath, state.Duration, [join], includeStart: false, cancellationToken);
            if (!report.IsClean)
            {
                throw new OutputVerificationException(outputPath, $"decode errors around the join at {join.TotalSeconds:0.###} s: " + string.Join(" | ", report.Errors.Take(5)));
            }
        }

        return state;
    }

    /// <summary>
    /// Ends the spliced file: cuts off any half-written append, writes the total duration into mvhd and mehd (players
    /// show it without walking the fragments), and verifies the result. Given <paramref name="closedSegments"/> (the
    /// indices in the capture's manifest), it first refuses a file that lacks any of them, before changing a byte.
    /// </summary>
    public async Task<VerifiedOutput> FinishAsync(string outputPath, FragmentedSpliceState state, IReadOnlyCollection<int>? closedSegments = null, CancellationToken cancellationToken = default)
    {
        if (state.Segments == 0)
        {
            throw new InvalidOperationException("Nothing was appended: there is no spliced file to finish.");
        }

        // Its own duration check cannot see a segment left out: the expected duration comes from the same state.
        if (closedSegments is not null && state.WhyNotHolding(closedSegments) is { } lacking)
        {
            throw new OutputVerificationException(outputPath, lacking);
        }

        await using (var output = new FileStream(outputPath, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
        {
            output.SetLength(state.Length);
            var moov = Mp4Box.ReadTopLevel(output).Find(b => b.Type == "moov");
            var bytes = await ReadAsync(output, moov, cancellationToken);
            var init = FragmentedInit.Parse(bytes);
            var duration = (ulong)Math.Ceiling(state.Duration.TotalSeconds * init.MovieTimescale);
            WriteDuration(bytes, duration);
            output.Position = moov.Offset;
            await output.WriteAsync(bytes, cancellationToken);
            await output.FlushAsync(cancellationToken);
            output.Flush(flushToDisk: true);
        }

        return await verifier.VerifyAsync(
            outputPath,
            new ExpectedOutput
            {
                Duration = state.Duration,
                Tolerance = TimeSpan.FromSeconds(0.5),
                Video = state.Tracks.Any(t => t.Handler == "vide"),
                Audio = state.Tracks.Any(t => t.Handler == "soun"),
                // Every earlier join was decoded when it was appended; the bytes between joins are the segments' own.
                CopyJoins = state.Joins.Count > 0 ? [state.Joins[^1]] : [],
                ReadEveryPacket = false,
            },
            new EncodingDecision(
                state.Tracks.Any(t => t.Handler == "vide") ? StreamHandling.Copied : StreamHandling.None,
                state.Tracks.Any(t => t.Handler == "soun") ? StreamHandling.Copied : StreamHandling.None,
                $"fragments of {state.Segments} segment(s) appended by copy as they closed"),
            cancellationToken);
    }

    /// <summary>The indices taken in after <paramref name="index"/>; unknown (null) stays unknown for a state from an earlier build.</summary>
    private static List<int>? Taken(FragmentedSpliceState state, int index) => state.Indices is { } taken ? [.. taken, index] : null;

    /// <summary>Fills mvhd's duration and mehd's fragment duration (both in the movie timescale) in a moov held in memory.</summary>
    private static void WriteDuration(byte[] moov, ulong duration)
    {
        var span = moov.AsSpan();
        foreach (var box in Mp4Box.Children(span, 8, moov.Length))
        {
            if (box.Type == "mvhd")
            {
                var p = (int)box.PayloadOffset;
                if (span[p] == 1)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(span[(p + 24)..], duration);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32BigEndian(span[(p + 16)..], (uint)Math.Min(duration, uint.MaxValue));
                }
            }
            else if (box.Type == "mvex")
            {
                var mehd = Mp4Box.Children(span, (int)box.PayloadOffset, (int)box.End).Find(b => b.Type == "mehd");
                if (mehd.Type is not null && span[(int)mehd.PayloadOffset] == 1)
                {
                    BinaryPrimitives.WriteUInt64BigEndian(span[((int)mehd.PayloadOffset + 4)..], duration);
                }
            }
        }
    }

    /// <summary>The moof + mdat pairs held whole, in file order; anything else at the top level (mfra, sidx, free) is left out.</summary>
    private static async Task<List<(MovieFragment Fragment, Mp4Box Mdat)>> ReadFragmentsAsync(Stream input, List<Mp4Box> boxes, FragmentedInit init, CancellationToken cancellationToken)
    {
        var fragments = new List<(MovieFragment, Mp4Box)>();
        for (var i = 0; i + 1 < boxes.Count; i++)
        {
            if (boxes[i].Type == "moof" && boxes[i + 1].Type == "mdat")
            {
                fragments.Add((MovieFragment.Parse(await ReadAsync(input, boxes[i], cancellationToken), init), boxes[i + 1]));
                i++;
            }
        }

        return fragments;
    }

    private static uint Timescale(FragmentedInit init, uint trackId) =>
        init.Tracks.FirstOrDefault(t => t.Id == trackId)?.Timescale ?? throw new InvalidDataException($"a fragment names track {trackId}, which the moov does not have");

    private static async Task<byte[]> ReadAsync(Stream input, Mp4Box box, CancellationToken cancellationToken)
    {
        if (box.Size > 64 << 20)
        {
            throw new InvalidDataException($"{box.Type} box of {box.Size} bytes is too large to hold in memory");
        }

        var bytes = new byte[box.Size];
        input.Position = box.Offset;
        await input.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static async Task CopyAsync(Stream input, Stream output, long count, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("the segment ended inside an mdat");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            count -= read;
        }
    }
}
