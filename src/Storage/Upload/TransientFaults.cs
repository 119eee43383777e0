using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Azure;
using Polly.Timeout;

namespace Recording.Storage.Upload;

/// <summary>
/// Which failures are worth retrying: 5xx, S3 SlowDown/RequestTimeout, Azure ServerBusy, dropped connections,
/// attempt timeouts and a part whose ETag did not match what was sent. 4xx (credentials, missing bucket,
/// access denied) are the user's faults and fail at once.
/// </summary>
public static class TransientFaults
{
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling", "ThrottlingException",
        "RequestTimeTooSkewed", "ServerBusy", "OperationTimedOut", "InternalServerError",
    };

    public static bool IsTransient(Exception exception, CancellationToken callerToken)
    {
        // The local file gone, or not ours to reach (a file we may not read, an address the host refuses to connect to):
        // no attempt will change that, however deep the SDK wrapped it in a connection failure.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AmazonServiceException s3 when s3.StatusCode == HttpStatusCode.NotImplemented || s3.ErrorCode == "NotImplemented":
                    // 501: the endpoint lacks the operation (s3rver's UploadPartCopy); asking again will not change that.
                    return false;
                case AmazonServiceException s3 when (int)s3.StatusCode >= 500 || (s3.ErrorCode is not null && TransientCodes.Contains(s3.ErrorCode)):
                    return true;
                case AmazonServiceException s3 when s3.StatusCode == 0 && s3.InnerException is null:
                    return true;
                case RequestFailedException azure when azure.Status >= 500 || azure.Status == 0 || azure.Status == (int)HttpStatusCode.RequestTimeout
                    || (azure.ErrorCode is not null && TransientCodes.Contains(azure.ErrorCode)):
                    return true;
                // A truncated or empty answer body (XmlException: a connection cut mid-response) is worth another attempt.
                case System.Xml.XmlException:
                case PartIntegrityException:
                case TimeoutRejectedException:
                case HttpRequestException:
                case IOException:
                case SocketException:
                    return true;
                case OperationCanceledException when !callerToken.IsCancellationRequested:
                    // HttpClient's own timeout surfaces as a cancellation the caller did not ask for.
                    return true;
            }
        }

        return false;
    }
}
