using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Model;
using Recording.Storage.Assembly;
using Recording.Storage.Destinations;
using Recording.Storage.Integrity;
using Recording.Storage.S3;
using Recording.Storage.Upload;
using Recording.TestSupport;

// Upload throughput of one 200 MiB file to a local s3rver, by part size x concurrency, against one plain PutObject.
// Arguments: [--repeat N] (runs per cell, the median is shown; default 2) [--size-mib N] (default 200).
const string Bucket = "bench";
const long MiB = 1024 * 1024;
var repeat = IntArgument(args, "--repeat", 2);
var size = IntArgument(args, "--size-mib", 200) * MiB;
long[] partSizes = [8 * MiB, 16 * MiB, 64 * MiB];
int[] concurrencies = [1, 4, 8];

var folder = Directory.CreateTempSubdirectory("storage-bench-").FullName;
try
{
    await using var server = await S3rverServer.StartAsync(Bucket);
    var settings = new S3DestinationSettings
    {
        Bucket = Bucket,
        Endpoint = new Uri(server.Endpoint),
        ForcePathStyle = true,
        AccessKeyId = S3rverServer.AccessKey,
        SecretAccessKey = new Secret(S3rverServer.SecretKey),
    };
    var file = Path.Combine(folder, "recording.ts");
    WriteRandomFile(file, size);

    // Warm up JIT, connections and s3rver once, outside the measurements.
    using (var warm = await S3StorageDestination.CreateAsync(settings, new UploadOptions { PartSize = 8 * MiB, MultipartThreshold = 8 * MiB }))
    {
        var small = Path.Combine(folder, "warm.ts");
        WriteRandomFile(small, 17 * MiB);
        await warm.UploadFileAsync(small, "warm/warm.ts");
        await PlainPutAsync(warm, small, "warm/plain.ts");
    }

    var plain = await MedianAsync(repeat, async () =>
    {
        using var destination = await S3StorageDestination.CreateAsync(settings);
        return await TimeAsync(() => PlainPutAsync(destination, file, "bench/plain.ts"), destination, "bench/plain.ts");
    });
    var plainMBps = size / 1e6 / plain.TotalSeconds;

    Console.WriteLine($"## Upload of {size / MiB} MiB to s3rver (loopback), median of {repeat}");
    Console.WriteLine();
    Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {Environment.OSVersion}, .NET {Environment.Version}");
    Console.WriteLine();
    Console.WriteLine("| method | part size | concurrency | seconds | MB/s | vs plain PutObject |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|");
    Console.WriteLine($"| plain PutObject (one request, no checksums) | - | 1 | {plain.TotalSeconds:0.00} | {plainMBps:0.0} | 1.00 |");
    // The same multipart protocol without our checks: separates s3rver's own multipart cost from ours.
    var raw = await MedianAsync(repeat, async () =>
    {
        using var destination = await S3StorageDestination.CreateAsync(settings);
        return await TimeAsync(() => RawMultipartAsync(destination, file, "bench/raw.ts", 16 * MiB, 4), destination, "bench/raw.ts");
    });
    Console.WriteLine($"| raw multipart (no MD5, no digest, no HEAD) | 16 MiB | 4 | {raw.TotalSeconds:0.00} | {size / 1e6 / raw.TotalSeconds:0.0} | {plain / raw:0.00} |");
    var digest = await MedianAsync(repeat, async () =>
    {
        var watch = Stopwatch.StartNew();
        await FileDigest.ComputeAsync(file, 16 * MiB);
        return watch.Elapsed;
    });
    Console.WriteLine($"| local pass only: SHA-256 + MD5 + part MD5s (part of every verified upload) | - | - | {digest.TotalSeconds:0.00} | {size / 1e6 / digest.TotalSeconds:0.0} | - |");
    foreach (var partSize in partSizes)
    {
        foreach (var concurrency in concurrencies)
        {
            var options = new UploadOptions { PartSize = partSize, MultipartThreshold = partSize, Concurrency = concurrency };
            var elapsed = await MedianAsync(repeat, async () =>
            {
                using var destination = await S3StorageDestination.CreateAsync(settings, options);
                return await TimeAsync(() => destination.UploadFileAsync(file, "bench/multipart.ts"), destination, "bench/multipart.ts");
            });
            var mbps = size / 1e6 / elapsed.TotalSeconds;
            Console.WriteLine($"| verified multipart (MD5 per part, SHA-256, HEAD check) | {partSize / MiB} MiB | {concurrency} | {elapsed.TotalSeconds:0.00} | {mbps:0.0} | {mbps / plainMBps:0.00} |");
        }
    }

    // Joining 4 byte-concatenable segments: s3rver answers UploadPartCopy 501, so only the fallback can be timed here.
    using (var destination = await S3StorageDestination.CreateAsync(settings))
    {
        var keys = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var segment = Path.Combine(folder, $"seg-{i}.ts");
            WriteRandomFile(segment, size / 4, seed: (ulong)i + 7);
            await destination.UploadFileAsync(segment, $"bench/join/seg-{i}.ts");
            keys.Add($"bench/join/seg-{i}.ts");
        }

        var watch = Stopwatch.StartNew();
        var joined = await new ObjectConcatenator(destination).ConcatenateAsync(keys, "bench/join/all.ts");
        watch.Stop();
        Console.WriteLine();
        Console.WriteLine("| join of 4 segments | bytes | method | seconds | MB/s |");
        Console.WriteLine("|---|---:|---|---:|---:|");
        Console.WriteLine($"| ObjectConcatenator | {joined.Bytes} | {joined.Method} ({joined.FallbackReason}) | {watch.Elapsed.TotalSeconds:0.00} | {joined.Bytes / 1e6 / watch.Elapsed.TotalSeconds:0.0} |");
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static async Task PlainPutAsync(S3StorageDestination destination, string path, string key)
{
    await destination.Client.PutObjectAsync(new PutObjectRequest
    {
        BucketName = destination.Bucket,
        Key = key,
        FilePath = path,
        UseChunkEncoding = false,
    });
}

static async Task RawMultipartAsync(S3StorageDestination destination, string path, string key, long partSize, int concurrency)
{
    var size = new FileInfo(path).Length;
    var started = await destination.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = destination.Bucket, Key = key });
    var count = (int)((size + partSize - 1) / partSize);
    var etags = new PartETag[count];
    await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (part, token) =>
    {
        var offset = (part - 1) * partSize;
        var response = await destination.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = destination.Bucket,
            Key = key,
            UploadId = started.UploadId,
            PartNumber = part,
            FilePath = path,
            FilePosition = offset,
            PartSize = Math.Min(partSize, size - offset),
            UseChunkEncoding = false,
        }, token);
        etags[part - 1] = new PartETag(part, response.ETag);
    });
    await destination.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
    {
        BucketName = destination.Bucket,
        Key = key,
        UploadId = started.UploadId,
        PartETags = [.. etags],
    });
}

static async Task<TimeSpan> TimeAsync(Func<Task> upload, S3StorageDestination destination, string key)
{
    var watch = Stopwatch.StartNew();
    await upload();
    watch.Stop();
    // Not timed: keeps s3rver's folder from growing by 200 MiB per run.
    await destination.DeleteAsync(key);
    return watch.Elapsed;
}

static async Task<TimeSpan> MedianAsync(int runs, Func<Task<TimeSpan>> run)
{
    var times = new List<TimeSpan>();
    for (var i = 0; i < runs; i++)
    {
        times.Add(await run());
    }

    times.Sort();
    return times[times.Count / 2];
}

static void WriteRandomFile(string path, long size, ulong seed = 1)
{
    using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
    var buffer = new byte[1 << 20];
    var random = new Random((int)seed);
    for (long written = 0; written < size;)
    {
        var n = (int)Math.Min(buffer.Length, size - written);
        random.NextBytes(buffer.AsSpan(0, n));
        stream.Write(buffer, 0, n);
        written += n;
    }
}

static string CpuModel()
{
    var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
    return line?.Split(':', 2)[1].Trim() ?? "unknown CPU";
}

static int IntArgument(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
