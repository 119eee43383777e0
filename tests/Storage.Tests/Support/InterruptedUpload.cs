using Recording.Storage.Destinations;
using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Support;

/// <summary>An upload stopped part way, as a process stopped mid-upload would leave it: some parts stored, the state file saved.</summary>
internal static class InterruptedUpload
{
    /// <summary>Uploads until <paramref name="parts"/> parts are stored, then cancels; returns the part numbers the state file kept.</summary>
    public static async Task<HashSet<int>> StopAfterAsync(IStorageDestination destination, string path, string key, int parts)
    {
        using var kill = new CancellationTokenSource();
        var progress = new SynchronousProgress(p =>
        {
            if (p.PartsDone >= parts)
            {
                kill.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => destination.UploadFileAsync(path, key, progress, kill.Token));
        var state = UploadStateFile.TryLoad(path);
        Assert.NotNull(state);
        return [.. state.Parts.Select(p => p.PartNumber)];
    }
}
