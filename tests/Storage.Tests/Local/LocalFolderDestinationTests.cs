using Recording.Storage.Destinations;
using Recording.Storage.Keys;
using Recording.Storage.Local;
using Recording.Storage.Tests.Support;
using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Local;

/// <summary>The local folder destination: round trip, atomic writes, no path escape, no playback URL.</summary>
public sealed class LocalFolderDestinationTests : IDisposable
{
    private readonly TestFiles files = new();
    private readonly string root;
    private readonly LocalFolderStorageDestination destination;

    public LocalFolderDestinationTests()
    {
        root = Directory.CreateTempSubdirectory("storage-local-").FullName;
        destination = new LocalFolderStorageDestination(new LocalFolderDestinationSettings { Path = root });
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(5L * 1024 * 1024 + 1)]
    public async Task Upload_ThenRead_IsByteExact_AndLeavesNoPartialFile(long size)
    {
        var path = files.Create(size, seed: 3);

        var result = await destination.UploadFileAsync(path, "p/2026/01/01/r/segments/a.mp4");

        Assert.True(result.Verified);
        await using (var stream = await destination.OpenReadAsync("p/2026/01/01/r/segments/a.mp4"))
        {
            await ByteAssert.SameBytesAsync(path, stream);
        }

        Assert.Single(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
        Assert.Null(await destination.GetReadUrlAsync("p/2026/01/01/r/segments/a.mp4", TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Overwrite_ReplacesTheFileWhole_ViaRename()
    {
        var first = files.Create(3000, seed: 1, name: "one.bin");
        var second = files.Create(1000, seed: 2, name: "two.bin");
        await destination.UploadFileAsync(first, "k/x.bin");
        var inodeBefore = new FileInfo(Path.Combine(root, "k", "x.bin"));
        Assert.Equal(3000, inodeBefore.Length);

        await destination.UploadFileAsync(second, "k/x.bin");

        await using var stream = await destination.OpenReadAsync("k/x.bin");
        await ByteAssert.SameBytesAsync(second, stream);
    }

    [Theory]
    [InlineData("../outside.txt", ObjectKeyRules.NoParentSegments)]
    [InlineData("/etc/passwd", ObjectKeyRules.NoAbsolutePath)]
    [InlineData("a\0b", ObjectKeyRules.NoControlCharacters)]
    public async Task HostileKeys_AreRefused_AndNothingIsWrittenOutsideTheRoot(string key, string rule)
    {
        var path = files.Create(10);

        var error = await Assert.ThrowsAsync<InvalidObjectKeyException>(() => destination.UploadFileAsync(path, key));

        Assert.Equal(rule, error.Rule);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root)!, "outside.txt")));
    }

    [Fact]
    public async Task RangeRead_List_Delete()
    {
        var path = files.Create(50_000, seed: 5);
        await destination.UploadFileAsync(path, "a/one.ts");
        await destination.UploadFileAsync(path, "a/two.ts");
        await destination.UploadFileAsync(path, "b/three.ts");

        await using (var range = await destination.OpenReadAsync("a/one.ts", new ByteRange(100, 4099)))
        {
            await ByteAssert.SameBytesAsync(path, 100, 4000, range);
        }

        var listed = new List<string>();
        await foreach (var item in destination.ListAsync("a/"))
        {
            listed.Add(item.Key);
        }

        Assert.Equal(["a/one.ts", "a/two.ts"], listed.Order());
        Assert.True(await destination.DeleteAsync("a/one.ts"));
        Assert.Null(await destination.HeadAsync("a/one.ts"));
        var result = await destination.UploadFileAsync(path, "c/keep.ts");
        LocalFileRelease.DeleteAfterVerifiedUpload(result, path);
        Assert.False(File.Exists(path));
        Assert.NotNull(await destination.HeadAsync("c/keep.ts"));
    }

    public void Dispose()
    {
        files.Dispose();
        Directory.Delete(root, recursive: true);
    }
}
