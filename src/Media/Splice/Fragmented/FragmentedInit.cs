using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Recording.Media.Splice.Fragmented;

/// <summary>A fragmented MP4's <c>moov</c>: its tracks (id, timescale, sample descriptions) and its movie timescale.</summary>
internal sealed class FragmentedInit
{
    private FragmentedInit(byte[] moov, uint movieTimescale, IReadOnlyList<InitTrack> tracks)
    {
        Moov = moov;
        MovieTimescale = movieTimescale;
        Tracks = tracks;
    }

    public byte[] Moov { get; }

    public uint MovieTimescale { get; }

    public IReadOnlyList<InitTrack> Tracks { get; }

    /// <summary>
    /// What must be equal for a file's fragments to follow another's in one file: every track's id, timescale and sample
    /// description (codec, size, SPS/PPS, AudioSpecificConfig), which the fragments reference but do not repeat.
    /// </summary>
    public string CodecKey => string.Join(';', Tracks.OrderBy(t => t.Id).Select(t => $"{t.Id}:{t.Timescale}:{t.SampleDescriptionHash}"));

    public static FragmentedInit Parse(byte[] moov)
    {
        var span = moov.AsSpan();
        var root = Mp4Box.Children(span, 8, moov.Length);
        var mvhd = root.Find(b => b.Type == "mvhd");
        if (mvhd.Type is null)
        {
            throw new InvalidDataException("moov has no mvhd");
        }

        var movieTimescale = BinaryPrimitives.ReadUInt32BigEndian(span[(int)(mvhd.PayloadOffset + (span[(int)mvhd.PayloadOffset] == 1 ? 20 : 12))..]);
        var defaults = new Dictionary<uint, uint>();
        foreach (var mvex in root.Where(b => b.Type == "mvex"))
        {
            foreach (var trex in Mp4Box.Children(span, (int)mvex.PayloadOffset, (int)mvex.End).Where(b => b.Type == "trex"))
            {
                var p = (int)trex.PayloadOffset;
                defaults[BinaryPrimitives.ReadUInt32BigEndian(span[(p + 4)..])] = BinaryPrimitives.ReadUInt32BigEndian(span[(p + 12)..]);
            }
        }

        var tracks = new List<InitTrack>();
        foreach (var trak in root.Where(b => b.Type == "trak"))
        {
            var children = Mp4Box.Children(span, (int)trak.PayloadOffset, (int)trak.End);
            var tkhd = Single(children, "tkhd");
            var id = BinaryPrimitives.ReadUInt32BigEndian(span[(int)(tkhd.PayloadOffset + (span[(int)tkhd.PayloadOffset] == 1 ? 20 : 12))..]);
            var mdia = Single(children, "mdia");
            var mdiaChildren = Mp4Box.Children(span, (int)mdia.PayloadOffset, (int)mdia.End);
            var mdhd = Single(mdiaChildren, "mdhd");
            var timescale = BinaryPrimitives.ReadUInt32BigEndian(span[(int)(mdhd.PayloadOffset + (span[(int)mdhd.PayloadOffset] == 1 ? 20 : 12))..]);
            var hdlr = Single(mdiaChildren, "hdlr");
            var handler = System.Text.Encoding.Latin1.GetString(span.Slice((int)hdlr.PayloadOffset + 8, 4));
            var minf = Single(mdiaChildren, "minf");
            var stbl = Single(Mp4Box.Children(span, (int)minf.PayloadOffset, (int)minf.End), "stbl");
            var stsd = Single(Mp4Box.Children(span, (int)stbl.PayloadOffset, (int)stbl.End), "stsd");
            var hash = Convert.ToHexStringLower(SHA256.HashData(span.Slice((int)stsd.Offset, (int)stsd.Size)))[..16];
            tracks.Add(new InitTrack(id, handler, timescale, hash, defaults.GetValueOrDefault(id)));
        }

        if (tracks.Count == 0)
        {
            throw new InvalidDataException("moov has no tracks");
        }

        return new FragmentedInit(moov, movieTimescale, tracks);
    }

    /// <summary>
    /// The moov to write at the head of a spliced file: this one with an <c>mehd</c> (fragment duration, 64-bit) in its
    /// <c>mvex</c>, so that the total duration can be filled in at the end without moving a byte of media.
    /// </summary>
    public byte[] WithMovieExtendsHeader()
    {
        var span = Moov.AsSpan();
        var root = Mp4Box.Children(span, 8, Moov.Length);
        var mvex = root.Find(b => b.Type == "mvex");
        if (mvex.Type is null || mvex.HeaderSize != 8 || BinaryPrimitives.ReadUInt32BigEndian(span) == 1)
        {
            throw new InvalidDataException("moov has no mvex (not a fragmented MP4) or uses 64-bit sizes");
        }

        var children = Mp4Box.Children(span, (int)mvex.PayloadOffset, (int)mvex.End);
        var output = new MemoryStream();
        output.Write(span[..(int)mvex.Offset]);
        var mvexStart = output.Position;
        output.Write(span.Slice((int)mvex.Offset, 8));
        output.Write(MehdBox(0));
        foreach (var child in children.Where(c => c.Type != "mehd"))
        {
            output.Write(span.Slice((int)child.Offset, (int)child.Size));
        }

        var mvexEnd = output.Position;
        output.Write(span[(int)mvex.End..]);
        var bytes = output.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan((int)mvexStart), (uint)(mvexEnd - mvexStart));
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)bytes.Length);
        return bytes;
    }

    private static byte[] MehdBox(ulong duration)
    {
        var box = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(box, 20);
        "mehd"u8.CopyTo(box.AsSpan(4));
        box[8] = 1; // version 1: a 64-bit fragment_duration
        BinaryPrimitives.WriteUInt64BigEndian(box.AsSpan(12), duration);
        return box;
    }

    private static Mp4Box Single(List<Mp4Box> boxes, string type)
    {
        var box = boxes.Find(b => b.Type == type);
        return box.Type is null ? throw new InvalidDataException($"no {type} box where one is required") : box;
    }
}
