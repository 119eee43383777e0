using System.Text.RegularExpressions;

namespace Recording.Storage.Destinations;

/// <summary>An Azure Blob container: either a connection string, or an account name and key (with an optional service URI for emulators and sovereign clouds).</summary>
public sealed partial record AzureBlobDestinationSettings : DestinationSettings
{
    public string Container { get; init; } = string.Empty;

    /// <summary>Connection string inline (never serialized back out).</summary>
    public Secret? ConnectionString { get; init; }

    /// <summary>Or a reference to the connection string.</summary>
    public SecretReference? ConnectionStringReference { get; init; }

    public string? AccountName { get; init; }

    /// <summary>Account key inline (never serialized back out).</summary>
    public Secret? AccountKey { get; init; }

    public SecretReference? AccountKeyReference { get; init; }

    /// <summary>Blob service URI; defaults to https://{account}.blob.core.windows.net.</summary>
    public Uri? ServiceUri { get; init; }

    public override string ToString() => $"azureblob://{AccountName ?? "(connection string)"}/{Container}/{Prefix}";

    protected override void ValidateProvider(List<SettingsError> errors)
    {
        if (string.IsNullOrEmpty(Container))
        {
            errors.Add(new SettingsError("container", "required", "is required."));
        }
        else if (!ContainerName().IsMatch(Container) || Container.Contains("--", StringComparison.Ordinal))
        {
            errors.Add(new SettingsError("container", "container-name", "must be 3-63 lowercase letters, digits and single '-', starting with a letter or digit."));
        }

        var byConnectionString = ConnectionString is not null || ConnectionStringReference is not null;
        var byAccount = !string.IsNullOrEmpty(AccountName) || AccountKey is not null || AccountKeyReference is not null;
        if (byConnectionString == byAccount)
        {
            errors.Add(new SettingsError("connectionString", "one-of", "give either a connection string (or its reference) or accountName with an account key (or its reference)."));
        }

        if (ConnectionString is not null && ConnectionStringReference is not null)
        {
            errors.Add(new SettingsError("connectionString", "one-of", "give either connectionString or connectionStringReference, not both."));
        }

        if (byAccount)
        {
            if (string.IsNullOrEmpty(AccountName) || !AccountNamePattern().IsMatch(AccountName))
            {
                errors.Add(new SettingsError("accountName", "account-name", "must be 3-24 lowercase letters and digits."));
            }

            if ((AccountKey is null) == (AccountKeyReference is null))
            {
                errors.Add(new SettingsError("accountKey", "one-of", "give exactly one of accountKey or accountKeyReference."));
            }
        }

        if (ServiceUri is not null && (!ServiceUri.IsAbsoluteUri || (ServiceUri.Scheme != Uri.UriSchemeHttp && ServiceUri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add(new SettingsError("serviceUri", "absolute-http-uri", "must be an absolute http:// or https:// URI."));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{2,62}$")]
    private static partial Regex ContainerName();

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountNamePattern();
}
