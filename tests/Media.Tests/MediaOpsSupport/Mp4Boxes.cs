using System.Buffers.Binary;
using System.Text;

namespace Recording.Media.Tests.MediaOpsSupport;

/// <summary>The top-level boxes of an MP4 file in file order, read from their headers (32-bit sizes, 64-bit largesize, size 0 = to the end).</summary>
internal static class Mp4Boxes
{
    public static async Task<List<string>> TopLevelAsync(string path)
    {
        var types = new List<string>();
        await using var stream = File.OpenRead(path);
        var header = new byte[16];
        long position = 0;
        while (position + 8 <= stream.Length)
        {
            stream.Position = position;
            await stream.ReadExactlyAsync(header.AsMemory(0, 8));
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            types.Add(Encoding.ASCII.GetString(header, 4, 4));
            if (size == 1)
            {
                await stream.ReadExactlyAsync(header.AsMemory(8, 8));
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8));
            }
            else if (size == 0)
            {
                size = stream.Length - position;
            }

            if (size < 8)
            {
                throw new InvalidDataException($"{path}: box '{types[^1]}' at {position} has size {size}");
            }

            position += size;
        }

        return types;
    }

    /// <summary>Whether the index (moov) comes before the media data (mdat), as faststart puts it.</summary>
    public static async Task<bool> IsFaststartAsync(string path)
    {
        var boxes = await TopLevelAsync(path);
        var moov = boxes.IndexOf("moov");
        var mdat = boxes.IndexOf("mdat");
        return moov >= 0 && (mdat < 0 || moov < mdat);
    }
}
