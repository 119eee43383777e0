using Recording.Durable.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Storage;
using Recording.Media.Packaging;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Uploads a ladder job's renditions (each rung's MP4 with its HLS playlist and segments) under <c>renditions/</c>, and the master playlist.</summary>
public sealed class UploadLadder(RecordingDestinations destinations) : TaskActivity<UploadMediaJobInput, PostProcessOutput>
{
    public override async Task<PostProcessOutput> RunAsync(TaskActivityContext context, UploadMediaJobInput input)
    {
        var result = input.Result;
        using var destination = await destinations.OpenAsync(input.Target, context.CancellationToken);
        var assets = new List<RecordingAsset>();
        foreach (var rendition in result.Renditions)
        {
            var kind = ObjectKind.Rendition(rendition.ShortSide);
            var mp4Key = destinations.Key(input.Target, kind, Path.GetFileName(rendition.Mp4Path));
            var uploaded = await AssetUploader.UploadFolderAsync(destination, Path.GetDirectoryName(rendition.Mp4Path)!, mp4Key[..mp4Key.LastIndexOf('/')], context.CancellationToken);
            assets.Add(new RecordingAsset(kind.Path, mp4Key, uploaded.Single(u => u.Key == mp4Key).Bytes, rendition.Duration, null));
        }

        var master = result.MasterPlaylistPath ?? throw new InvalidOperationException($"The ladder job {result.JobId} reported no master playlist.");
        var renditionsFolder = destinations.RecordingFolder(input.Target) + "/renditions";
        var uploadedMaster = await AssetUploader.UploadFileAsync(destination, master, renditionsFolder + "/" + LadderPackager.MasterName, context.CancellationToken);
        assets.Add(new RecordingAsset("renditions", uploadedMaster.Key, uploadedMaster.Bytes, null, null));
        return new PostProcessOutput(assets);
    }
}
