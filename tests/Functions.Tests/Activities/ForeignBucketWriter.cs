using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Recording.Functions.Tests.EndToEnd;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Activities;

/// <summary>Writes an object into the rig's bucket past our uploader, as someone else (or a broken upload) would, with the digest metadata our uploader sets.</summary>
internal static class ForeignBucketWriter
{
    public static async Task PutWithDigestAsync(S3rverServer s3, string key, byte[] content, string sha256)
    {
        using var raw = new AmazonS3Client(new BasicAWSCredentials(S3rverServer.AccessKey, S3rverServer.SecretKey), new AmazonS3Config { ServiceURL = s3.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        using var stream = new MemoryStream(content);
        var put = new PutObjectRequest { BucketName = RecordingRig.Bucket, Key = key, InputStream = stream, UseChunkEncoding = false };
        put.Metadata["sha256"] = sha256;
        await raw.PutObjectAsync(put);
    }
}
