using System.Text.Json.Serialization;
using Recording.Storage.Keys;

namespace Recording.Storage.Destinations;

/// <summary>Where a recording's files go. JSON carries a "kind" discriminator: "s3", "azureBlob" or "localFolder".</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(S3DestinationSettings), "s3")]
[JsonDerivedType(typeof(AzureBlobDestinationSettings), "azureBlob")]
[JsonDerivedType(typeof(LocalFolderDestinationSettings), "localFolder")]
public abstract record DestinationSettings
{
    /// <summary>Key prefix template with placeholders {recordingId}, {streamId}, {yyyy}, {MM}, {dd}; may be empty.</summary>
    public string? Prefix { get; init; }

    /// <summary>Every problem with these settings (empty when valid).</summary>
    public IReadOnlyList<SettingsError> Validate()
    {
        var errors = new List<SettingsError>();
        try
        {
            _ = new ObjectKeyBuilder(Prefix);
        }
        catch (InvalidObjectKeyException ex)
        {
            errors.Add(new SettingsError("prefix", ex.Rule, ex.Message));
        }

        ValidateProvider(errors);
        return errors;
    }

    /// <summary>Throws <see cref="DestinationSettingsException"/> listing every problem.</summary>
    public void EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new DestinationSettingsException(errors);
        }
    }

    protected abstract void ValidateProvider(List<SettingsError> errors);
}
