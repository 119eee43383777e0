namespace Recording.Storage.Destinations;

/// <summary>Destination settings were refused; <see cref="Errors"/> names each field and rule (never a secret's value).</summary>
public sealed class DestinationSettingsException(IReadOnlyList<SettingsError> errors)
    : ArgumentException(string.Join("; ", errors))
{
    public IReadOnlyList<SettingsError> Errors { get; } = errors;
}
