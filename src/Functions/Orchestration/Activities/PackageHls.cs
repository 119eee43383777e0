using Recording.Durable.Activities;
using Recording.Media.Packaging;
using Recording.Media.Verification;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>
/// Packages the spliced file as an HLS VOD by stream copy and uploads the playlist and its segments to <c>hls/</c>; a file whose
/// video would have to be re-encoded is left to a media job (<see cref="PostProcessOutput.TranscodeNeeded"/>).
/// </summary>
public sealed class PackageHls(HlsAssetUploader uploader) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var spliced = Required(input.SplicedPath);
        var packager = new HlsPackager();
        var plan = await packager.PlanAsync(spliced, context.CancellationToken);
        if (plan.Video == StreamHandling.ReEncoded)
        {
            return new PostProcessOutput([]) { TranscodeNeeded = plan.Reason };
        }

        var folder = Path.Combine(input.WorkFolder, PostProcessingFolders.Hls);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true); // a previous attempt's half package
        }

        var result = await packager.PackageAsync(new HlsPackageRequest(spliced, folder), context.CancellationToken);
        return await uploader.UploadAsync(input.Target, folder, result.Playlist.Duration, context.CancellationToken);
    }

    internal static string Required(string? splicedPath) =>
        splicedPath ?? throw new InvalidOperationException("Packaging needs the spliced file, and the splice step gave none.");
}
