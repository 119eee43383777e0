using Recording.Durable.Activities;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Deletes local segment files after their verified upload and after post-processing used them; the manifest and logs stay.</summary>
public sealed class ReleaseLocalFiles : TaskActivity<ReleaseLocalFilesInput, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, ReleaseLocalFilesInput input)
    {
        var deleted = 0;
        foreach (var path in input.UploadedSegments.Where(File.Exists))
        {
            File.Delete(path);
            deleted++;
        }

        if (input.WorkFolder is not null && Directory.Exists(input.WorkFolder))
        {
            Directory.Delete(input.WorkFolder, recursive: true);
        }

        return Task.FromResult(deleted);
    }
}
