using Amazon.S3;

namespace Recording.Storage.S3;

/// <summary>
/// Whether an S3 ETag (of an object or of a part) is the MD5 of the bytes. It is for unencrypted objects and SSE-S3
/// (AES256); under SSE-KMS, DSSE-KMS and SSE-C, AWS documents it as not an MD5, so comparing it with ours would refuse
/// every upload to a bucket whose default encryption is KMS. The bytes are still checked there: every PutObject and
/// UploadPart carries Content-MD5, which S3 verifies before it stores anything (BadDigest otherwise).
/// </summary>
internal static class S3ETagMeaning
{
    /// <summary>The encryption as the store reported it ("aws:kms", "AES256", "SSE-C AES256"), or null for none.</summary>
    public static string? Encryption(ServerSideEncryptionMethod? method, string? customerAlgorithm)
    {
        if (!string.IsNullOrEmpty(customerAlgorithm))
        {
            return "SSE-C " + customerAlgorithm;
        }

        return method is null || string.IsNullOrEmpty(method.Value) || method == ServerSideEncryptionMethod.None ? null : method.Value;
    }

    /// <summary>Whether an ETag given under <paramref name="encryption"/> (see <see cref="Encryption"/>) is the MD5 of the bytes.</summary>
    public static bool IsContentMd5(string? encryption) => encryption is null || encryption == ServerSideEncryptionMethod.AES256.Value;
}
