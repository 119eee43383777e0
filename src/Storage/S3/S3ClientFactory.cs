using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Recording.Storage.Destinations;
using Recording.Storage.Upload;

namespace Recording.Storage.S3;

/// <summary>Builds an <see cref="AmazonS3Client"/> from <see cref="S3DestinationSettings"/>, resolving secret references.</summary>
public static class S3ClientFactory
{
    public static async Task<AmazonS3Client> CreateAsync(
        S3DestinationSettings settings, ISecretResolver secrets, UploadOptions options, CancellationToken cancellationToken = default)
    {
        settings.EnsureValid();
        var config = new AmazonS3Config
        {
            ForcePathStyle = settings.ForcePathStyle,
            // Our own retry pipeline (Polly) retries each part with backoff; SDK retries on top would multiply attempts and hide counts.
            MaxErrorRetry = 0,
            Timeout = options.RequestTimeout,
            HttpClientFactory = options.HttpHandler is { } handler ? new SharedHandlerHttpClientFactory(handler) : null,
        };
        if (settings.Endpoint is not null)
        {
            config.ServiceURL = settings.Endpoint.ToString();
            config.AuthenticationRegion = settings.Region ?? "us-east-1";
            config.UseHttp = settings.Endpoint.Scheme == Uri.UriSchemeHttp;
            // S3-compatible stores often reject or ignore the flexible checksum headers AWSSDK v4 adds by default;
            // we send Content-MD5 and compare ETags ourselves instead.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(settings.Region);
        }

        AWSCredentials? credentials = null;
        if (!string.IsNullOrEmpty(settings.AccessKeyId))
        {
            var secret = settings.SecretAccessKey
                ?? await secrets.ResolveAsync(settings.SecretAccessKeyReference!, "secretAccessKeyReference", cancellationToken);
            credentials = settings.SessionToken is null
                ? new BasicAWSCredentials(settings.AccessKeyId, secret.Reveal())
                : new SessionAWSCredentials(settings.AccessKeyId, secret.Reveal(), settings.SessionToken.Reveal());
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }
}
