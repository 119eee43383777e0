using System.Buffers.Binary;
using System.Text;

namespace Recording.Media.Splice.Fragmented;

/// <summary>One ISO BMFF box header: where the box starts, how long it is and how long its header is.</summary>
internal readonly record struct Mp4Box(string Type, long Offset, long Size, int HeaderSize)
{
    public long End => Offset + Size;

    public long PayloadOffset => Offset + HeaderSize;

    /// <summary>The top-level boxes of a file, stopping at the first one the file does not hold whole (a crash's half-written tail).</summary>
    public static List<Mp4Box> ReadTopLevel(Stream file)
    {
        var boxes = new List<Mp4Box>();
        var header = new byte[16];
        long offset = 0;
        var length = file.Length;
        while (offset + 8 <= length)
        {
            file.Position = offset;
            file.ReadExactly(header, 0, 8);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var headerSize = 8;
            if (size == 1)
            {
                if (offset + 16 > length)
                {
                    break;
                }

                file.ReadExactly(header, 8, 8);
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = length - offset; // "to the end of the file"
            }

            if (size < headerSize || offset + size > length)
            {
                break;
            }

            boxes.Add(new Mp4Box(Encoding.Latin1.GetString(header, 4, 4), offset, size, headerSize));
            offset += size;
        }

        return boxes;
    }

    /// <summary>The child boxes of a container held in memory (<paramref name="from"/> to <paramref name="to"/> of <paramref name="bytes"/>).</summary>
    public static List<Mp4Box> Children(ReadOnlySpan<byte> bytes, int from, int to)
    {
        var boxes = new List<Mp4Box>();
        var offset = from;
        while (offset + 8 <= to)
        {
            var size = (long)BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
            var headerSize = 8;
            if (size == 1)
            {
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[(offset + 8)..]);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = to - offset;
            }

            if (size < headerSize || offset + size > to)
            {
                throw new InvalidDataException($"box at {offset} runs past its container");
            }

            boxes.Add(new Mp4Box(Encoding.Latin1.GetString(bytes.Slice(offset + 4, 4)), offset, size, headerSize));
            offset += (int)size;
        }

        return boxes;
    }
}
