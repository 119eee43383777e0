using Azure.Core;
using Microsoft.Extensions.Options;
using Recording.Durable.Backends.AzureStorage;
using Recording.Durable.Versioning;
using Recording.Functions.Orchestration;

namespace Recording.Functions.Engine;

/// <summary>Which durable engine backend runs the orchestrations (section <c>Recording:Engine</c>): embedded SQLite by default, Azure Storage when configured.</summary>
public sealed class EngineOptions : Hosting.IValidatableOptions
{
    public const string Section = "Recording:Engine";
    public const string SqliteBackend = "sqlite";
    public const string AzureStorageBackend = "azureStorage";

    /// <summary><c>sqlite</c> (default) or <c>azureStorage</c>.</summary>
    public string Backend { get; set; } = SqliteBackend;

    /// <summary>The SQLite engine file; a relative path is inside <c>Recording:Local:DataDirectory</c>.</summary>
    public string SqliteFile { get; set; } = "engine.db";

    /// <summary>Azure Storage connection string (Azurite locally) for the <c>azureStorage</c> backend; never logged.</summary>
    public string? AzureStorageConnectionString { get; set; }

    /// <summary>
    /// Instead of the connection string: the storage account of the <c>azureStorage</c> backend, reached as the app's managed
    /// identity (it needs Storage Queue, Table and Blob Data Contributor on the account), with no key anywhere.
    /// </summary>
    public string? AzureStorageAccountName { get; set; }

    /// <summary>The DNS suffix of the account's endpoints: core.windows.net, or a sovereign cloud's.</summary>
    public string AzureStorageEndpointSuffix { get; set; } = "core.windows.net";

    /// <summary>Names the task hub's queues, tables and container.</summary>
    public string TaskHubName { get; set; } = "recording";

    /// <summary>The orchestration version this service stamps on what it starts and runs up to (Durable Functions' <c>defaultVersion</c>); the code's own by default.</summary>
    public string DefaultVersion { get; set; } = OrchestratorCodeVersion.Current;

    /// <summary><c>CurrentOrOlder</c> (default), <c>Strict</c> or <c>None</c>: which versions this service's worker runs (<c>versionMatchStrategy</c>).</summary>
    public string VersionMatchStrategy { get; set; } = nameof(Durable.Versioning.VersionMatchStrategy.CurrentOrOlder);

    /// <summary><c>Reject</c> (default: leave it for a newer instance of the service) or <c>Fail</c>: what the worker does with a version it does not run (<c>versionFailureStrategy</c>).</summary>
    public string VersionFailureStrategy { get; set; } = nameof(Durable.Versioning.VersionFailureStrategy.Reject);

    public IEnumerable<string> Validate()
    {
        if (Backend is not (SqliteBackend or AzureStorageBackend))
        {
            yield return $"{Section}:Backend must be '{SqliteBackend}' or '{AzureStorageBackend}'";
        }

        if (Backend == SqliteBackend && (string.IsNullOrWhiteSpace(SqliteFile) || SqliteFile.IndexOfAny(Path.GetInvalidPathChars()) >= 0))
        {
            yield return $"{Section}:SqliteFile must be a file name or path";
        }

        if (Backend == AzureStorageBackend && string.IsNullOrWhiteSpace(AzureStorageConnectionString) == string.IsNullOrWhiteSpace(AzureStorageAccountName))
        {
            yield return $"{Section}:AzureStorageConnectionString or {Section}:AzureStorageAccountName (one of them, not both) must be set when {Section}:Backend is '{AzureStorageBackend}'";
        }

        if (AzureStorageAccountName is { Length: > 0 } account && (account.Length is < 3 or > 24 || !account.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
        {
            yield return $"{Section}:AzureStorageAccountName must be 3 to 24 lowercase letters or digits (a storage account's name)";
        }

        if (string.IsNullOrWhiteSpace(AzureStorageEndpointSuffix) || Uri.CheckHostName(AzureStorageEndpointSuffix) != UriHostNameType.Dns)
        {
            yield return $"{Section}:AzureStorageEndpointSuffix must be a DNS suffix such as core.windows.net";
        }

        if (string.IsNullOrWhiteSpace(TaskHubName) || !TaskHubName.All(char.IsAsciiLetterOrDigit) || TaskHubName.Length is < 3 or > 45 || !char.IsAsciiLetter(TaskHubName[0]))
        {
            yield return $"{Section}:TaskHubName must be 3 to 45 letters or digits and start with a letter";
        }

        foreach (var failure in ValidateVersioning())
        {
            yield return failure;
        }
    }

    /// <summary>
    /// The engine's versioning from these settings; null while they break a rule, since the engine is configured before the
    /// settings are checked at start, and that check then stops the service naming the rule.
    /// </summary>
    public OrchestrationVersioning? ToVersioning() =>
        ValidateVersioning().Any()
            ? null
            : new OrchestrationVersioning
            {
                DefaultVersion = DefaultVersion,
                MatchStrategy = NamedValue<VersionMatchStrategy>(VersionMatchStrategy)!.Value,
                FailureStrategy = NamedValue<VersionFailureStrategy>(VersionFailureStrategy)!.Value,
            };

    /// <summary>The enum value with this name, ignoring case; numbers are not names.</summary>
    private static T? NamedValue<T>(string? name)
        where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } found ? Enum.Parse<T>(found) : null;

    private IEnumerable<string> ValidateVersioning()
    {
        if (string.IsNullOrWhiteSpace(DefaultVersion) || !OrchestrationVersioning.IsWellFormed(DefaultVersion))
        {
            yield return $"{Section}:DefaultVersion must be 1 to {OrchestrationVersioning.MaxVersionLength} characters without control characters";
        }

        if (NamedValue<VersionMatchStrategy>(VersionMatchStrategy) is null)
        {
            yield return $"{Section}:VersionMatchStrategy must be CurrentOrOlder, Strict or None";
        }

        if (NamedValue<VersionFailureStrategy>(VersionFailureStrategy) is null)
        {
            yield return $"{Section}:VersionFailureStrategy must be Reject or Fail";
        }
    }

    /// <summary>
    /// The Azure Storage backend's settings: the connection string when one is set, else the account's queue, table and blob
    /// endpoints with <paramref name="credential"/> (only then created).
    /// </summary>
    public AzureStorageBackendOptions ToAzureStorageBackendOptions(Func<TokenCredential> credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        // The engine is built before the options are validated at start: the same failures, rather than a malformed URI.
        if (Validate().ToList() is { Count: > 0 } failures)
        {
            throw new OptionsValidationException(Section, typeof(EngineOptions), failures);
        }

        if (!string.IsNullOrWhiteSpace(AzureStorageConnectionString))
        {
            return new AzureStorageBackendOptions { ConnectionString = AzureStorageConnectionString, TaskHubName = TaskHubName };
        }

        return new AzureStorageBackendOptions
        {
            QueueServiceUri = Endpoint("queue"),
            TableServiceUri = Endpoint("table"),
            BlobServiceUri = Endpoint("blob"),
            Credential = credential(),
            TaskHubName = TaskHubName,
        };
    }

    private Uri Endpoint(string service) => new($"https://{AzureStorageAccountName}.{service}.{AzureStorageEndpointSuffix}/");
}
