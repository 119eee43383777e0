using System.Net.Sockets;
using Amazon.Runtime;
using Azure;
using Recording.Storage.Destinations;

namespace Recording.Storage.Validation;

/// <summary>The provider's error code for a failed operation, and whether it is a refusal (user's fault) or a failure to reach or understand the store.</summary>
public static class ProviderError
{
    public const string EndpointUnreachable = "EndpointUnreachable";
    public const string Timeout = "Timeout";

    public static (string Code, PermissionStatus Status) Classify(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AmazonServiceException s3 when !string.IsNullOrEmpty(s3.ErrorCode):
                    return (s3.ErrorCode, (int)s3.StatusCode is >= 400 and < 500 ? PermissionStatus.Missing : PermissionStatus.Failed);
                case AmazonServiceException s3 when (int)s3.StatusCode >= 400:
                    return (((int)s3.StatusCode).ToString(), (int)s3.StatusCode < 500 ? PermissionStatus.Missing : PermissionStatus.Failed);
                case RequestFailedException azure when azure.Status > 0:
                    return (azure.ErrorCode ?? azure.Status.ToString(), azure.Status is >= 400 and < 500 ? PermissionStatus.Missing : PermissionStatus.Failed);
                case DestinationSettingsException:
                    return ("InvalidSettings", PermissionStatus.Missing);
                case UnauthorizedAccessException:
                    return ("AccessDenied", PermissionStatus.Missing);
                case DirectoryNotFoundException:
                    return ("FolderNotFound", PermissionStatus.Missing);
                case HttpRequestException or SocketException:
                    return (EndpointUnreachable, PermissionStatus.Failed);
                case OperationCanceledException or TimeoutException:
                    return (Timeout, PermissionStatus.Failed);
            }
        }

        return (exception is IOException ? "IOError" : exception.GetType().Name, PermissionStatus.Failed);
    }
}
