using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Storage.Queues;
using Recording.Functions.Hosting;

namespace Recording.Functions.Jobs;

/// <summary>
/// The queue-driven capture and media jobs (section <c>Recording:Jobs:Queue</c>): the storage account, the job-start queue that triggers
/// the capture job, the media jobs' queue, the events queue the job reports to, and the prefix of the per-recording control queues.
/// </summary>
public sealed partial class QueueCaptureJobOptions : IValidatableOptions
{
    public const string Section = "Recording:Jobs:Queue";

    /// <summary>A storage connection string (Azurite, or an account key). Leave empty to use <see cref="QueueServiceUri"/> with <see cref="Credential"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The queue endpoint (https://{account}.queue.core.windows.net), used with a managed identity when there is no connection string.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>Credential for <see cref="QueueServiceUri"/>; set in code (for example a ManagedIdentityCredential), never from configuration.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>The Container Apps job's event trigger: one message per capture job.</summary>
    public string StartQueueName { get; set; } = "recording-job-start";

    /// <summary>Where every job reports its capture events; read by <see cref="QueueCaptureEventListener"/>.</summary>
    public string EventsQueueName { get; set; } = "recording-job-events";

    /// <summary>The media job's event trigger: one message per post-processing transcode (<see cref="QueueMediaJobRunner"/>).</summary>
    public string MediaQueueName { get; set; } = "recording-media-jobs";

    /// <summary>Prefix of the per-recording control queues ({prefix}-{32 hex of the id's SHA-256}) that carry stop requests.</summary>
    public string ControlQueuePrefix { get; set; } = "recording-job-ctl";

    /// <summary>Events queue messages that failed this many times go to the poison queue ({events}-poison) instead of the sink.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a received event stays invisible while the sink handles it; delivered again after that if not deleted.</summary>
    public TimeSpan EventVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A poll that found messages is followed at once by the next; empty polls back off from this ...</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>... up to this.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Creates the queues (if missing) when the runner or listener first uses them; off where infrastructure creates them.</summary>
    public bool CreateQueues { get; set; } = true;

    /// <summary>
    /// True where this process polls the events queue itself (self-hosted); false behind the Functions host, whose queue trigger
    /// pushes each message to <see cref="QueueCaptureEventListener.ProcessDeliveredAsync"/>.
    /// </summary>
    public bool PollEventsQueue { get; set; } = true;

    public string PoisonQueueName => EventsQueueName + "-poison";

    /// <summary>Whether configuration names a queue account (<c>ConnectionString</c> or <c>QueueServiceUri</c>): the service then starts capture jobs by queue.</summary>
    public static bool IsConfiguredIn(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return !string.IsNullOrWhiteSpace(section[nameof(ConnectionString)]) || !string.IsNullOrWhiteSpace(section[nameof(QueueServiceUri)]);
    }

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && QueueServiceUri is null)
        {
            yield return $"{Section}:ConnectionString or {Section}:QueueServiceUri must be set (a connection string, or an account queue endpoint with a managed identity)";
        }

        if (QueueServiceUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme is not ("https" or "http")))
        {
            yield return $"{Section}:QueueServiceUri must be an absolute http(s) URI such as https://account.queue.core.windows.net";
        }

        foreach (var (name, value) in new[] { (nameof(StartQueueName), StartQueueName), (nameof(EventsQueueName), EventsQueueName), (nameof(MediaQueueName), MediaQueueName) })
        {
            if (!QueueName().IsMatch(value ?? "") || value!.Contains("--", StringComparison.Ordinal) || value.Length > 57)
            {
                yield return $"{Section}:{name} must be 3 to 57 lowercase letters, digits or single hyphens, starting and ending with a letter or digit (an Azure queue name with room for '-poison')";
            }
        }

        if (new[] { StartQueueName, EventsQueueName, MediaQueueName }.Distinct(StringComparer.Ordinal).Count() < 3)
        {
            yield return $"{Section}:StartQueueName, {Section}:EventsQueueName and {Section}:MediaQueueName must be three different queues";
        }

        if (!QueueName().IsMatch(ControlQueuePrefix ?? "") || ControlQueuePrefix!.Contains("--", StringComparison.Ordinal) || ControlQueuePrefix.Length > 30)
        {
            yield return $"{Section}:ControlQueuePrefix must be 3 to 30 lowercase letters, digits or single hyphens (33 characters of the queue name are the recording's hash)";
        }

        if (MaxDequeueCount is < 1 or > 100)
        {
            yield return $"{Section}:MaxDequeueCount must be between 1 and 100";
        }

        if (EventVisibilityTimeout < TimeSpan.FromSeconds(1) || EventVisibilityTimeout > TimeSpan.FromDays(7))
        {
            yield return $"{Section}:EventVisibilityTimeout must be between 1 second and 7 days";
        }

        if (MinPollingInterval <= TimeSpan.Zero || MaxPollingInterval < MinPollingInterval)
        {
            yield return $"{Section}:MinPollingInterval must be positive and {Section}:MaxPollingInterval at least as long";
        }
    }

    /// <summary>Throws with every broken rule; for code that builds the options without the host's startup validation.</summary>
    public void ThrowIfInvalid()
    {
        var failures = Validate().ToList();
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", failures));
        }
    }

    /// <summary>The account's queue service; messages are Base64, as the Functions queue trigger and KEDA's scaler expect.</summary>
    public QueueServiceClient CreateServiceClient()
    {
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        return !string.IsNullOrWhiteSpace(ConnectionString)
            ? new QueueServiceClient(ConnectionString, clientOptions)
            : new QueueServiceClient(QueueServiceUri!, Credential ?? throw new ArgumentException($"{Section}:Credential must be set in code when only QueueServiceUri is configured"), clientOptions);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
