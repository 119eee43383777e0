using Recording.Storage.Destinations;
using Recording.Storage.S3;
using Recording.Storage.Tests.Support;
using Recording.Storage.Upload;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// Entry point of the test assembly when it is run as a child process (`dotnet Recording.Storage.Tests.dll upload ...`):
/// an S3 uploader that a test can kill -9 half-way, so that resume is proven after a real crash, not a polite cancellation.
/// </summary>
public static class UploaderProcess
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["upload", var endpoint, var path, var key, var partSizeMiB, var concurrency])
        {
            await Console.Error.WriteLineAsync("usage: upload <endpoint> <path> <key> <partSizeMiB> <concurrency>");
            return 2;
        }

        var settings = new S3DestinationSettings
        {
            Bucket = S3rverFixture.Bucket,
            Endpoint = new Uri(endpoint),
            ForcePathStyle = true,
            AccessKeyId = S3rverServer.AccessKey,
            SecretAccessKey = new Secret(S3rverServer.SecretKey),
        };
        var partSize = long.Parse(partSizeMiB, System.Globalization.CultureInfo.InvariantCulture) * UploadOptions.MiB;
        var options = new UploadOptions { MultipartThreshold = partSize, PartSize = partSize, Concurrency = int.Parse(concurrency, System.Globalization.CultureInfo.InvariantCulture) };
        using var destination = await S3StorageDestination.CreateAsync(settings, options);
        var result = await destination.UploadFileAsync(path, key, new ConsoleProgress());
        Console.WriteLine($"verified {result.Verified}");
        return 0;
    }

    private sealed class ConsoleProgress : IProgress<UploadProgress>
    {
        public void Report(UploadProgress value) => Console.WriteLine($"part {value.PartNumber} stored ({value.PartsDone}/{value.PartCount})");
    }
}
