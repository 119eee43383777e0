using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Support;

/// <summary>Reports progress on the uploader's own thread (Progress&lt;T&gt; posts it later), so a test can cancel at an exact point.</summary>
internal sealed class SynchronousProgress(Action<UploadProgress> onReport) : IProgress<UploadProgress>
{
    public void Report(UploadProgress value) => onReport(value);
}
