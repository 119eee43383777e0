using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// The stop's share of an HLS VOD built while recording: write index.m3u8 over the pieces, verify it, upload it. Pieces that
/// lack a segment of the capture's manifest, or were placed out of order, are refused, and the VOD is packaged the classic way.
/// </summary>
public sealed class FinishHls(RecordingDestinations destinations) : TaskActivity<FinishHlsInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, FinishHlsInput input)
    {
        var closed = await ClosedSegments.ReadAsync(input.Work.CaptureFolder, context.CancellationToken);
        var result = await new IncrementalHlsPackager().FinishAsync(input.Pieces, input.OutputDirectory, closed, context.CancellationToken);
        using var destination = await destinations.OpenAsync(input.Work.Target, context.CancellationToken);
        var playlistKey = destinations.Folder(input.Work.Target, ObjectKind.Hls) + "/" + HlsPackager.PlaylistName;
        await AssetUploader.UploadFileAsync(destination, Path.Combine(input.OutputDirectory, HlsPackager.PlaylistName), playlistKey, context.CancellationToken);
        return new PostProcessOutput([new RecordingAsset(ObjectKind.Hls.Path, playlistKey, result.Playlist.Bytes, result.Playlist.Duration, null)]);
    }
}
