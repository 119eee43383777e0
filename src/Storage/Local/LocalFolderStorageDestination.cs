using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Recording.Storage.Destinations;
using Recording.Storage.Integrity;
using Recording.Storage.Keys;
using Recording.Storage.Streams;
using Recording.Storage.Upload;

namespace Recording.Storage.Local;

/// <summary>
/// A folder on this machine. Writes go to a hidden partial file beside the target and are renamed into place,
/// so a reader never sees half a file; keys are resolved under the root and refused if they would leave it.
/// Has no playback URLs (<see cref="GetReadUrlAsync"/> returns null): a file path is not something a player can fetch.
/// </summary>
public sealed class LocalFolderStorageDestination : IStorageDestination
{
    private const string PartialMarker = ".partial-";
    private readonly string root;

    public LocalFolderStorageDestination(LocalFolderDestinationSettings settings, UploadOptions? options = null)
    {
        settings.EnsureValid();
        _ = options;
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(settings.Path));
    }

    public string Kind => "localFolder";

    public async Task<UploadResult> UploadFileAsync(string localPath, string key, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var target = Resolve(key);
        var digest = await FileDigest.ComputeAsync(localPath, long.MaxValue, cancellationToken);
        await WriteAtomicallyAsync(target, async stream =>
        {
            await using var source = new FileStream(localPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
            await source.CopyToAsync(stream, 1 << 20, cancellationToken);
        }, cancellationToken);
        progress?.Report(new UploadProgress(key, 1, 1, 1, digest.Size, digest.Size));

        // Re-reading the copy is cheap locally and is the only proof the bytes on disk are the bytes recorded.
        string sha;
        await using (var written = new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true))
        {
            sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(written, cancellationToken));
        }

        if (sha != digest.Sha256Hex || new FileInfo(target).Length != digest.Size)
        {
            throw new UploadVerificationException(key, "the copy in the folder differs from the local file");
        }

        return new UploadResult(key, digest.Size, digest.Sha256Hex, Verified: true, "size+read-back-sha256", 1, 0, null);
    }

    public Task PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
        => WriteAtomicallyAsync(Resolve(key), stream => stream.WriteAsync(content, cancellationToken).AsTask(), cancellationToken);

    public Task<Stream> OpenReadAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        Stream stream = range is null
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true)
            : new FileRangeStream(path, range.First, range.Length);
        return Task.FromResult(stream);
    }

    public Task<StoredObject?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = new FileInfo(Resolve(key));
        return Task.FromResult(info.Exists ? new StoredObject(key, info.Length, info.LastWriteTimeUtc, null, ContentTypes.For(key)) : null);
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The destination folder '{root}' does not exist.");
        }

        await Task.CompletedTask;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(prefix, StringComparison.Ordinal) && !Path.GetFileName(key).Contains(PartialMarker, StringComparison.Ordinal))
            {
                var info = new FileInfo(path);
                yield return new StoredObject(key, info.Length, info.LastWriteTimeUtc, null, ContentTypes.For(key));
            }
        }
    }

    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = Resolve(key);
        if (!File.Exists(path))
        {
            return Task.FromResult(false);
        }

        File.Delete(path);
        return Task.FromResult(true);
    }

    public Task<Uri?> GetReadUrlAsync(string key, TimeSpan expiry, CancellationToken cancellationToken = default) => Task.FromResult<Uri?>(null);

    public async Task<string?> ProbeMultipartAsync(string key, CancellationToken cancellationToken = default)
    {
        // No multipart here; what matters is that a partial file can be created beside the target and removed.
        var target = Resolve(key);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = PartialPath(target);
        await File.WriteAllBytesAsync(partial, [1], cancellationToken);
        File.Delete(partial);
        return null;
    }

    public void Dispose()
    {
    }

    /// <summary>The full path of a key, refused if it would resolve outside the root (rule "no-path-escape").</summary>
    public string Resolve(string key)
    {
        ObjectKeySanitizer.Path("key", key);
        var full = Path.GetFullPath(Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidObjectKeyException("key", "no-path-escape", "resolves outside the destination folder.");
        }

        return full;
    }

    private static string PartialPath(string target)
        => Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + PartialMarker + Guid.NewGuid().ToString("N")[..8]);

    private async Task WriteAtomicallyAsync(string target, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The destination folder '{root}' does not exist.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = PartialPath(target);
        try
        {
            await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                await write(stream);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
