using Recording.Durable.Activities;
using Recording.Functions.Storage;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Uploads one segment and verifies it; the orchestrator retries it with backoff, so a storage outage delays uploads but loses nothing.</summary>
/// <remarks>Idempotent: an object already there with the same SHA-256 is not sent again (activities run at least once).</remarks>
public sealed class UploadSegment(RecordingDestinations destinations) : TaskActivity<UploadSegmentInput, UploadedFile>
{
    public override async Task<UploadedFile> RunAsync(TaskActivityContext context, UploadSegmentInput input)
    {
        var key = destinations.Key(input.Target, ObjectKind.Segments, Path.GetFileName(input.LocalPath));
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var existing = await destination.HeadAsync(key, context.CancellationToken);
        // Stored with the same SHA-256 metadata, and (while the local file is here to say) the same size: the metadata is set when
        // an upload starts, so an object a failed upload left behind (s3rver empties one on a retried Complete) carries it too.
        if (existing?.Sha256 is { } stored && string.Equals(stored, input.ExpectedSha256, StringComparison.OrdinalIgnoreCase)
            && (!File.Exists(input.LocalPath) || new FileInfo(input.LocalPath).Length == existing.Size))
        {
            return new UploadedFile(key, existing.Size, stored);
        }

        if (!File.Exists(input.LocalPath))
        {
            throw new FileNotFoundException($"Segment file '{Path.GetFileName(input.LocalPath)}' is missing from the capture folder and is not in the destination.");
        }

        var result = await destination.UploadFileAsync(input.LocalPath, key, null, context.CancellationToken);
        if (!result.Verified)
        {
            throw new IOException($"The upload of '{key}' was not confirmed by the destination ({result.Verification}).");
        }

        if (!string.Equals(result.Sha256, input.ExpectedSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"The segment '{key}' changed after it was reported closed (SHA-256 differs from the manifest).");
        }

        return new UploadedFile(key, result.Bytes, result.Sha256);
    }
}
