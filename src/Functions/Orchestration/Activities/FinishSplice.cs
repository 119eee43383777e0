using Recording.Durable.Activities;
using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// The stop's share of a splice made while recording: fill in the duration, verify, upload to <c>spliced/</c>. The file
/// is a fragmented MP4 (its moov is at the front, as faststart would put it), made of the segments' own fragments. A file
/// that lacks a segment of the capture's manifest is refused, and the orchestration splices the classic way from them all.
/// </summary>
public sealed class FinishSplice(SplicedAssetUploader uploader) : TaskActivity<FinishSpliceInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, FinishSpliceInput input)
    {
        var closed = await ClosedSegments.ReadAsync(input.Work.CaptureFolder, context.CancellationToken);
        var verified = await new FragmentedMp4Appender().FinishAsync(input.SplicedPath, input.State, closed, context.CancellationToken);
        return input.Work.Upload
            ? await uploader.UploadAsync(input.Work.Target, input.SplicedPath, verified.Duration, context.CancellationToken)
            : new PostProcessOutput([], input.SplicedPath);
    }
}
