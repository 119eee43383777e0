using System.Buffers.Binary;

namespace Recording.Media.Splice.Fragmented;

/// <summary>
/// A <c>moof</c> held in memory, with what appending it elsewhere has to change: its sequence number (mfhd) and each
/// track's decode time (tfdt). Durations come from the trun, else tfhd's default, else the init's trex.
/// </summary>
internal sealed class MovieFragment
{
    private readonly byte[] bytes;
    private readonly int sequenceOffset;

    private MovieFragment(byte[] bytes, int sequenceOffset, IReadOnlyList<TrackFragment> tracks)
    {
        this.bytes = bytes;
        this.sequenceOffset = sequenceOffset;
        Tracks = tracks;
    }

    public IReadOnlyList<TrackFragment> Tracks { get; }

    public static MovieFragment Parse(byte[] moof, FragmentedInit init)
    {
        var span = moof.AsSpan();
        var children = Mp4Box.Children(span, 8, moof.Length);
        var mfhd = children.Find(b => b.Type == "mfhd");
        if (mfhd.Type is null)
        {
            throw new InvalidDataException("moof has no mfhd");
        }

        var tracks = new List<TrackFragment>();
        foreach (var traf in children.Where(b => b.Type == "traf"))
        {
            var boxes = Mp4Box.Children(span, (int)traf.PayloadOffset, (int)traf.End);
            var tfhd = boxes.Find(b => b.Type == "tfhd");
            var tfdt = boxes.Find(b => b.Type == "tfdt");
            if (tfhd.Type is null || tfdt.Type is null)
            {
                throw new InvalidDataException("traf without tfhd or tfdt");
            }

            var p = (int)tfhd.PayloadOffset;
            var flags = BinaryPrimitives.ReadUInt32BigEndian(span[p..]) & 0xFFFFFF;
            var trackId = BinaryPrimitives.ReadUInt32BigEndian(span[(p + 4)..]);
            if ((flags & 0x1) != 0)
            {
                // An absolute base-data-offset points into the file it came from; moved, it would point at the wrong bytes.
                throw new InvalidDataException("tfhd carries an absolute base-data-offset");
            }

            var field = p + 8 + ((flags & 0x2) != 0 ? 4 : 0);
            var defaultDuration = (flags & 0x8) != 0
                ? BinaryPrimitives.ReadUInt32BigEndian(span[field..])
                : init.Tracks.FirstOrDefault(t => t.Id == trackId)?.DefaultSampleDuration ?? 0;

            var version = span[(int)tfdt.PayloadOffset];
            var timeOffset = (int)tfdt.PayloadOffset + 4;
            var decodeTime = version == 1 ? (long)BinaryPrimitives.ReadUInt64BigEndian(span[timeOffset..]) : BinaryPrimitives.ReadUInt32BigEndian(span[timeOffset..]);

            long duration = 0;
            foreach (var trun in boxes.Where(b => b.Type == "trun"))
            {
                duration += RunDuration(span, (int)trun.PayloadOffset, defaultDuration);
            }

            tracks.Add(new TrackFragment(trackId, decodeTime, duration, timeOffset, version == 1));
        }

        return new MovieFragment(moof, (int)mfhd.PayloadOffset + 4, tracks);
    }

    /// <summary>This fragment as it goes into the spliced file: renumbered, and every track's decode time moved by its shift.</summary>
    public byte[] Rewrite(uint sequence, IReadOnlyDictionary<uint, long> shiftByTrack)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(sequenceOffset), sequence);
        foreach (var track in Tracks)
        {
            var moved = track.DecodeTime + shiftByTrack[track.TrackId];
            if (track.Wide)
            {
                BinaryPrimitives.WriteUInt64BigEndian(copy.AsSpan(track.DecodeTimeOffset), (ulong)moved);
            }
            else if (moved is >= 0 and <= uint.MaxValue)
            {
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(track.DecodeTimeOffset), (uint)moved);
            }
            else
            {
                throw new InvalidDataException("a 32-bit tfdt cannot hold the spliced decode time");
            }
        }

        return copy;
    }

    private static long RunDuration(ReadOnlySpan<byte> span, int payload, uint defaultDuration)
    {
        var flags = BinaryPrimitives.ReadUInt32BigEndian(span[payload..]) & 0xFFFFFF;
        var count = BinaryPrimitives.ReadUInt32BigEndian(span[(payload + 4)..]);
        if ((flags & 0x100) == 0)
        {
            return count * (long)defaultDuration;
        }

        var at = payload + 8 + ((flags & 0x1) != 0 ? 4 : 0) + ((flags & 0x4) != 0 ? 4 : 0);
        var stride = 4 * (1 + ((flags & 0x200) != 0 ? 1 : 0) + ((flags & 0x400) != 0 ? 1 : 0) + ((flags & 0x800) != 0 ? 1 : 0));
        long total = 0;
        for (var i = 0; i < count; i++, at += stride)
        {
            total += BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
        }

        return total;
    }
}
