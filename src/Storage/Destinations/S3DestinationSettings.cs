using System.Text.RegularExpressions;

namespace Recording.Storage.Destinations;

/// <summary>An S3 bucket, on AWS or any S3-compatible endpoint (MinIO, R2, s3rver, ...).</summary>
public sealed partial record S3DestinationSettings : DestinationSettings
{
    public string Bucket { get; init; } = string.Empty;

    /// <summary>AWS region; for custom endpoints the signing region (defaults to us-east-1).</summary>
    public string? Region { get; init; }

    /// <summary>Custom endpoint for S3-compatible stores; null means AWS.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Path-style addressing (bucket in the path), which most S3-compatible stores need.</summary>
    public bool ForcePathStyle { get; init; }

    public string? AccessKeyId { get; init; }

    /// <summary>The secret access key inline (never serialized back out).</summary>
    public Secret? SecretAccessKey { get; init; }

    /// <summary>Or a reference to it: "env:NAME" or "keyvault:URI".</summary>
    public SecretReference? SecretAccessKeyReference { get; init; }

    /// <summary>Optional session token for temporary credentials (never serialized back out).</summary>
    public Secret? SessionToken { get; init; }

    /// <summary>
    /// Chunk-signed (aws-chunked) uploads. Null means: on for AWS, off for custom endpoints, because some
    /// S3-compatible stores (s3rver) store chunk-signed bodies corrupted (DESIGN.md).
    /// </summary>
    public bool? ChunkEncoding { get; init; }

    /// <summary>The chunk-encoding setting after applying the default.</summary>
    public bool EffectiveChunkEncoding => ChunkEncoding ?? Endpoint is null;

    public override string ToString() =>
        $"s3://{Bucket}/{Prefix} (endpoint {Endpoint?.ToString() ?? "aws"}, region {Region ?? "default"}, key id {AccessKeyId ?? "default chain"})";

    protected override void ValidateProvider(List<SettingsError> errors)
    {
        if (string.IsNullOrEmpty(Bucket))
        {
            errors.Add(new SettingsError("bucket", "required", "is required."));
        }
        else if (!BucketName().IsMatch(Bucket) || Bucket.Contains("..", StringComparison.Ordinal))
        {
            errors.Add(new SettingsError("bucket", "bucket-name", "must be 3-63 characters of lowercase letters, digits, '.' and '-', starting and ending with a letter or digit."));
        }

        if (Endpoint is null && string.IsNullOrEmpty(Region))
        {
            errors.Add(new SettingsError("region", "required", "is required when no endpoint is given."));
        }

        if (Region is not null && !RegionName().IsMatch(Region))
        {
            errors.Add(new SettingsError("region", "region-name", "must look like 'eu-west-1' (lowercase letters, digits and '-')."));
        }

        if (Endpoint is not null && (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add(new SettingsError("endpoint", "absolute-http-uri", "must be an absolute http:// or https:// URI."));
        }

        var hasSecret = SecretAccessKey is not null || SecretAccessKeyReference is not null;
        if (SecretAccessKey is not null && SecretAccessKeyReference is not null)
        {
            errors.Add(new SettingsError("secretAccessKey", "one-of", "give either secretAccessKey or secretAccessKeyReference, not both."));
        }

        if (string.IsNullOrEmpty(AccessKeyId) && hasSecret)
        {
            errors.Add(new SettingsError("accessKeyId", "required", "is required when a secret access key is given."));
        }

        if (!string.IsNullOrEmpty(AccessKeyId) && !hasSecret)
        {
            errors.Add(new SettingsError("secretAccessKey", "required", "is required when accessKeyId is given (inline or as secretAccessKeyReference)."));
        }

        if (SessionToken is not null && string.IsNullOrEmpty(AccessKeyId))
        {
            errors.Add(new SettingsError("sessionToken", "requires-access-key", "is only meaningful with accessKeyId and a secret."));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex("^[a-z0-9-]{2,32}$")]
    private static partial Regex RegionName();
}
