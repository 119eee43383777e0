namespace Recording.Storage.Tests.Support;

/// <summary>Deterministic pseudo-random files written in a streaming way (no large buffers), deleted with their folder.</summary>
public sealed class TestFiles : IDisposable
{
    private const int Chunk = 1 << 20;

    public TestFiles() => Folder = Directory.CreateTempSubdirectory("storage-tests-").FullName;

    public string Folder { get; }

    /// <summary>A file of <paramref name="size"/> bytes whose content depends only on (size, seed).</summary>
    public string Create(long size, ulong seed = 1, string name = "file.bin")
    {
        var path = Path.Combine(Folder, name);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, Chunk);
        var buffer = new byte[Chunk];
        var state = seed * 0x9E3779B97F4A7C15UL + (ulong)size + 1;
        for (long written = 0; written < size;)
        {
            var n = (int)Math.Min(Chunk, size - written);
            Fill(buffer.AsSpan(0, n), ref state);
            stream.Write(buffer, 0, n);
            written += n;
        }

        return path;
    }

    public string PathFor(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Fill(Span<byte> span, ref ulong state)
    {
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(span[..(span.Length / 8 * 8)]);
        for (var i = 0; i < words.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            words[i] = state;
        }

        for (var i = words.Length * 8; i < span.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            span[i] = (byte)state;
        }
    }
}
