using Recording.Durable.Activities;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Uploads a splice job's file to <c>spliced/</c>, its asset noting which streams were re-encoded and why.</summary>
public sealed class UploadSplice(SplicedAssetUploader uploader) : TaskActivity<UploadMediaJobInput, PostProcessOutput>
{
    public override Task<PostProcessOutput> RunAsync(TaskActivityContext context, UploadMediaJobInput input)
    {
        var spliced = input.Result.Output ?? throw new InvalidOperationException($"The splice job {input.Result.JobId} reported no file.");
        return uploader.UploadAsync(input.Target, spliced.Path, spliced.Duration, context.CancellationToken, input.Result.Decision);
    }
}
