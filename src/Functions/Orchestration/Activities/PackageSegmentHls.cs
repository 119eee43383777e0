using Recording.Durable.Activities;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Packages a closed segment as the next piece of the recording's HLS VOD while the recording goes on, and uploads the
/// piece's media segments to <c>hls/</c>: at the stop only the playlist is left to write. Safe to repeat (the packager
/// replaces the piece's files; uploads of the same bytes are the same objects).
/// </summary>
public sealed class PackageSegmentHls(RecordingDestinations destinations) : TaskActivity<PackageSegmentHlsInput, HlsPiece>
{
    public override async Task<HlsPiece> RunAsync(TaskActivityContext context, PackageSegmentHlsInput input)
    {
        Directory.CreateDirectory(input.OutputDirectory);
        // Video that must be re-encoded is refused (TranscodeRequiredException, a permanent failure): the chain is given up and
        // the VOD is packaged after the stop, by a media job.
        var piece = await new IncrementalHlsPackager().PackageSegmentAsync(input.SegmentPath, input.Index, input.Start, input.OutputDirectory, context.CancellationToken);
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var folder = destinations.Folder(input.Target, ObjectKind.Hls);
        foreach (var segment in piece.Segments)
        {
            await AssetUploader.UploadFileAsync(destination, Path.Combine(input.OutputDirectory, segment.Uri), folder + "/" + segment.Uri, context.CancellationToken);
        }

        return piece;
    }
}
