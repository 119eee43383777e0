using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Encodes the template's rungs from the spliced file (one decode, one x264 per rung) and uploads them under <c>renditions/</c> with a master playlist.</summary>
public sealed class PackageLadder(RecordingDestinations destinations) : TaskActivity<PostProcessInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, PostProcessInput input)
    {
        var folder = Path.Combine(input.WorkFolder, "renditions");
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var result = await new LadderPackager().PackageAsync(
            new LadderRequest(PackageHls.Required(input.SplicedPath), folder) { Rungs = input.Rungs, X264Preset = "veryfast" }, context.CancellationToken);
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var assets = new List<RecordingAsset>();
        foreach (var rendition in result.Renditions)
        {
            var kind = ObjectKind.Rendition(rendition.Rung.ShortSide);
            var mp4Key = destinations.Key(input.Target, kind, Path.GetFileName(rendition.Mp4.Path));
            var uploaded = await AssetUploader.UploadFolderAsync(destination, Path.GetDirectoryName(rendition.Mp4.Path)!, mp4Key[..mp4Key.LastIndexOf('/')], context.CancellationToken);
            assets.Add(new RecordingAsset(kind.Path, mp4Key, uploaded.Single(u => u.Key == mp4Key).Bytes, rendition.Mp4.Duration, null));
        }

        var renditionsFolder = destinations.RecordingFolder(input.Target) + "/renditions";
        var master = await AssetUploader.UploadFileAsync(destination, result.MasterPlaylistPath, renditionsFolder + "/" + LadderPackager.MasterName, context.CancellationToken);
        assets.Add(new RecordingAsset("renditions", master.Key, master.Bytes, null, null));
        return new PostProcessOutput(assets);
    }
}
