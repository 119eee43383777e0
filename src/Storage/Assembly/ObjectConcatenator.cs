using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Storage.Destinations;
using Recording.Storage.Keys;
using Recording.Storage.S3;

namespace Recording.Storage.Assembly;

/// <summary>
/// Joins stored objects of a byte-concatenable format (MPEG-TS, ADTS AAC) into one object. On S3 it uses
/// UploadPartCopy when that is correct: every source but the last at least 5 MiB and the endpoint implementing
/// it. Otherwise it downloads the sources into one temp file and uploads that with the usual verified upload.
/// Formats a byte join would corrupt (MP4, FLV, ...) are refused before anything is read.
/// </summary>
public sealed class ObjectConcatenator(IStorageDestination destination, ILogger? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger.Instance;

    /// <summary>Joins <paramref name="sourceKeys"/> in the order given into <paramref name="targetKey"/>.</summary>
    public async Task<ConcatenationResult> ConcatenateAsync(IReadOnlyList<string> sourceKeys, string targetKey, CancellationToken cancellationToken = default)
    {
        ByteConcatenableFormats.EnsureConcatenable(sourceKeys, targetKey);
        ObjectKeySanitizer.Path("targetKey", targetKey);
        var sources = new List<StoredObject>(sourceKeys.Count);
        for (var i = 0; i < sourceKeys.Count; i++)
        {
            ObjectKeySanitizer.Path($"sourceKeys[{i}]", sourceKeys[i]);
            if (sourceKeys[i] == targetKey)
            {
                throw new ConcatenationRefusedException($"sourceKeys[{i}]", "target-not-a-source", "the target must not be one of the sources (it would be overwritten while read).");
            }

            sources.Add(await destination.HeadAsync(sourceKeys[i], cancellationToken)
                ?? throw new FileNotFoundException($"sourceKeys[{i}]: '{sourceKeys[i]}' does not exist.", sourceKeys[i]));
        }

        var reason = WhyNotServerSide(sources);
        if (reason is null && destination is S3StorageDestination s3)
        {
            var copied = await s3.TryConcatenateByCopyAsync(sources.Where(s => s.Size > 0).ToList(), targetKey, cancellationToken);
            if (copied is not null)
            {
                return copied with { SourceCount = sources.Count };
            }

            reason = "the endpoint does not implement UploadPartCopy";
        }

        reason ??= $"a {destination.Kind} destination has no server-side part copy here";
        logger.LogInformation("Joining {Count} objects into {Key} by download and upload: {Reason}", sources.Count, targetKey, reason);
        return await DownloadAndUploadAsync(sources, targetKey, reason, cancellationToken);
    }

    /// <summary>Why UploadPartCopy cannot be used for these sources; null when it can.</summary>
    public static string? WhyNotServerSide(IReadOnlyList<StoredObject> sources)
    {
        var nonEmpty = sources.Where(s => s.Size > 0).ToList();
        if (nonEmpty.Count == 0)
        {
            return "the sources are empty";
        }

        // S3 refuses parts under 5 MiB except the last; such a source would have to be merged client-side.
        var small = nonEmpty.Take(nonEmpty.Count - 1).FirstOrDefault(s => s.Size < S3StorageDestination.MinPartSize);
        return small is null ? null : $"'{small.Key}' is smaller than S3's 5 MiB part minimum";
    }

    private async Task<ConcatenationResult> DownloadAndUploadAsync(List<StoredObject> sources, string targetKey, string reason, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("concatenate-").FullName;
        try
        {
            var joined = Path.Combine(folder, Path.GetFileName(targetKey));
            await using (var target = new FileStream(joined, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true))
            {
                foreach (var source in sources)
                {
                    await using var stream = await destination.OpenReadAsync(source.Key, null, cancellationToken);
                    var before = target.Position;
                    await stream.CopyToAsync(target, 1 << 20, cancellationToken);
                    if (target.Position - before != source.Size)
                    {
                        throw new IOException($"'{source.Key}' read {target.Position - before} bytes, its HEAD said {source.Size}; it changed while being joined.");
                    }
                }
            }

            var upload = await destination.UploadFileAsync(joined, targetKey, cancellationToken: cancellationToken);
            return new ConcatenationResult(targetKey, upload.Bytes, sources.Count, ConcatenationMethod.DownloadAndUpload, upload.Verification, reason);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
