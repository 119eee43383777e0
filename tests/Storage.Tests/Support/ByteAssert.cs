namespace Recording.Storage.Tests.Support;

/// <summary>Compares two streams byte for byte without holding either in memory.</summary>
public static class ByteAssert
{
    public static async Task SameBytesAsync(string expectedPath, Stream actual)
    {
        await using var expected = File.OpenRead(expectedPath);
        var a = new byte[1 << 20];
        var b = new byte[1 << 20];
        long offset = 0;
        while (true)
        {
            var n = await expected.ReadAtLeastAsync(a, a.Length, throwOnEndOfStream: false);
            var m = await actual.ReadAtLeastAsync(b, b.Length, throwOnEndOfStream: false);
            if (n != m)
            {
                Assert.Fail($"length differs near offset {offset + Math.Min(n, m)}: expected {n} more bytes in this chunk, got {m}.");
            }

            if (!a.AsSpan(0, n).SequenceEqual(b.AsSpan(0, m)))
            {
                var at = a.AsSpan(0, n).CommonPrefixLength(b.AsSpan(0, m));
                Assert.Fail($"bytes differ at offset {offset + at}.");
            }

            if (n == 0)
            {
                return;
            }

            offset += n;
        }
    }

    public static async Task SameBytesAsync(string expectedPath, long first, long length, Stream actual)
    {
        var expected = new byte[length];
        await using (var file = File.OpenRead(expectedPath))
        {
            file.Seek(first, SeekOrigin.Begin);
            await file.ReadExactlyAsync(expected);
        }

        using var copy = new MemoryStream();
        await actual.CopyToAsync(copy);
        Assert.Equal(expected, copy.ToArray());
    }
}
