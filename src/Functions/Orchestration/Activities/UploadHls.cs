using Recording.Durable.Activities;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Uploads an HLS job's VOD to <c>hls/</c>, its asset noting what was re-encoded and why.</summary>
public sealed class UploadHls(HlsAssetUploader uploader) : TaskActivity<UploadMediaJobInput, PostProcessOutput>
{
    public override Task<PostProcessOutput> RunAsync(TaskActivityContext context, UploadMediaJobInput input)
    {
        var playlist = input.Result.Output ?? throw new InvalidOperationException($"The HLS job {input.Result.JobId} reported no playlist.");
        return uploader.UploadAsync(input.Target, Path.GetDirectoryName(playlist.Path)!, playlist.Duration, context.CancellationToken, input.Result.Decision);
    }
}
