using Azure.Identity;
using Azure.Storage.Queues;

namespace Recording.Worker.Commands;

/// <summary>
/// How the job reaches the storage account: a connection string (from --queue-connection or, better, the
/// RECORDING_QUEUE_CONNECTION environment variable, so that the key is not visible in the process list), or the queue
/// endpoint with the job's managed identity.
/// </summary>
internal static class JobQueueConnection
{
    public const string ConnectionVariable = "RECORDING_QUEUE_CONNECTION";

    public static QueueServiceClient Create(string? connectionString, Uri? serviceUri)
    {
        // Base64, as the service's runner and the Functions queue trigger use.
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        connectionString ??= Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                return new QueueServiceClient(connectionString, options);
            }
            catch (FormatException)
            {
                // The parser's message can quote the string, key included: name the option only.
                throw new JobInputException("--queue-connection", "connection-string-format", "not a storage connection string.");
            }
        }

        if (serviceUri is not null)
        {
            return new QueueServiceClient(serviceUri, new DefaultAzureCredential(), options);
        }

        throw new JobInputException("--queue-connection", "required", $"set --queue-connection, the {ConnectionVariable} environment variable, or --queue-service-uri.");
    }
}
