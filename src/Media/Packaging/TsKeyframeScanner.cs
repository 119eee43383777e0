namespace Recording.Media.Packaging;

/// <summary>Where a TS segment's program tables end and where each of its video key frames lies.</summary>
internal sealed record TsSegmentIndex(long TablesLength, IReadOnlyList<TsKeyframe> Keyframes, long? FirstVideoPts);

/// <summary>One video key frame in a TS file: its PTS as written (33 bits, 90 kHz; see <see cref="MpegTsClock"/>) and its bytes, from its PES packet's first TS packet to the next video PES packet's.</summary>
internal sealed record TsKeyframe(long Pts, long Offset, long Length);

/// <summary>
/// Reads a TS segment's packet headers, without ffprobe: the PAT names the PMT, the PMT the H.264 stream, and a video
/// PES packet marked random access in its adaptation field (as ffmpeg's muxer marks every key frame) starts a key
/// frame. One pass over the bytes, so an hour of segments costs no process per segment.
/// </summary>
internal static class TsKeyframeScanner
{
    public const int PacketSize = 188;

    private const int H264StreamType = 0x1B;

    public static async Task<TsSegmentIndex> ScanAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var buffer = new byte[PacketSize * 512];
        int? pmtPid = null;
        int? videoPid = null;
        long? tablesLength = null;
        var starts = new List<(long Offset, bool Random, long? Pts)>();
        long offset = 0;
        int read;
        while ((read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) >= PacketSize)
        {
            for (var at = 0; at + PacketSize <= read; at += PacketSize, offset += PacketSize)
            {
                var packet = buffer.AsSpan(at, PacketSize);
                if (packet[0] != 0x47)
                {
                    throw new FormatException($"{path}: no TS sync byte at offset {offset}");
                }

                var unitStart = (packet[1] & 0x40) != 0;
                var pid = ((packet[1] & 0x1F) << 8) | packet[2];
                var payload = PayloadStart(packet);
                if (!unitStart || payload < 0)
                {
                    continue;
                }

                if (IsPesStart(packet, payload))
                {
                    tablesLength ??= offset;
                    if (pid == videoPid)
                    {
                        starts.Add((offset, RandomAccess(packet), Pts(packet[payload..])));
                    }
                }
                else if (pid == 0)
                {
                    pmtPid ??= FirstProgramPid(Section(packet, payload));
                }
                else if (pid == pmtPid)
                {
                    videoPid ??= FirstStreamPid(Section(packet, payload), H264StreamType);
                }
            }
        }

        var keyframes = new List<TsKeyframe>();
        for (var i = 0; i < starts.Count; i++)
        {
            if (starts[i].Random && starts[i].Pts is { } pts)
            {
                var end = i + 1 < starts.Count ? starts[i + 1].Offset : offset;
                keyframes.Add(new TsKeyframe(pts, starts[i].Offset, end - starts[i].Offset));
            }
        }

        var first = starts.Select(s => s.Pts).FirstOrDefault(p => p is not null);
        return new TsSegmentIndex(tablesLength ?? 0, keyframes, first);
    }

    /// <summary>Where the payload begins after the 4-byte header and any adaptation field; -1 when the packet has none.</summary>
    private static int PayloadStart(ReadOnlySpan<byte> packet) => ((packet[3] >> 4) & 0x3) switch
    {
        1 => 4,
        3 when 5 + packet[4] < PacketSize => 5 + packet[4],
        _ => -1,
    };

    private static bool IsPesStart(ReadOnlySpan<byte> packet, int payload)
        => payload + 3 <= PacketSize && packet[payload] == 0 && packet[payload + 1] == 0 && packet[payload + 2] == 1;

    /// <summary>The adaptation field's random_access_indicator: ffmpeg sets it on the first TS packet of every key frame.</summary>
    private static bool RandomAccess(ReadOnlySpan<byte> packet)
        => ((packet[3] >> 4) & 0x2) != 0 && packet[4] > 0 && (packet[5] & 0x40) != 0;

    /// <summary>The PES header's 33-bit PTS, when it has one.</summary>
    private static long? Pts(ReadOnlySpan<byte> pes)
    {
        if (pes.Length < 14 || (pes[7] & 0x80) == 0)
        {
            return null;
        }

        return ((long)(pes[9] >> 1 & 0x07) << 30) | ((long)pes[10] << 22) | ((long)(pes[11] >> 1) << 15) | ((long)pes[12] << 7) | ((long)pes[13] >> 1);
    }

    /// <summary>A PSI section starting in this packet (after its pointer field), cut to its section_length.</summary>
    private static ReadOnlySpan<byte> Section(ReadOnlySpan<byte> packet, int payload)
    {
        var start = payload + 1 + packet[payload];
        if (start + 3 > PacketSize)
        {
            return [];
        }

        var length = ((packet[start + 1] & 0x0F) << 8) | packet[start + 2];
        return packet[start..Math.Min(PacketSize, start + 3 + length)];
    }

    /// <summary>The PMT PID of the PAT's first program (program 0 names the network table and is skipped).</summary>
    private static int? FirstProgramPid(ReadOnlySpan<byte> pat)
    {
        for (var at = 8; at + 4 <= pat.Length - 4; at += 4)
        {
            if (((pat[at] << 8) | pat[at + 1]) != 0)
            {
                return ((pat[at + 2] & 0x1F) << 8) | pat[at + 3];
            }
        }

        return null;
    }

    /// <summary>The PID of the PMT's first elementary stream of <paramref name="streamType"/>.</summary>
    private static int? FirstStreamPid(ReadOnlySpan<byte> pmt, int streamType)
    {
        if (pmt.Length < 12)
        {
            return null;
        }

        var at = 12 + (((pmt[10] & 0x0F) << 8) | pmt[11]);
        while (at + 5 <= pmt.Length - 4)
        {
            if (pmt[at] == streamType)
            {
                return ((pmt[at + 1] & 0x1F) << 8) | pmt[at + 2];
            }

            at += 5 + (((pmt[at + 3] & 0x0F) << 8) | pmt[at + 4]);
        }

        return null;
    }
}
