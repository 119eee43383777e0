using Amazon.S3;

namespace Recording.Storage.S3;

/// <summary>S3 error codes the destination reacts to.</summary>
internal static class S3ErrorCodes
{
    public const string NoSuchUpload = "NoSuchUpload";
    public const string NoSuchKey = "NoSuchKey";
    public const string NotImplemented = "NotImplemented";
    public const string MethodNotAllowed = "MethodNotAllowed";

    /// <summary>The endpoint does not implement the operation (s3rver lacks ListParts, AbortMultipartUpload and UploadPartCopy).</summary>
    public static bool IsUnsupported(AmazonS3Exception e)
        => e.ErrorCode is NotImplemented or MethodNotAllowed || e.StatusCode is System.Net.HttpStatusCode.NotImplemented or System.Net.HttpStatusCode.MethodNotAllowed;
}
