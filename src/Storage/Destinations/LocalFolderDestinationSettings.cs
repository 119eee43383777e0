namespace Recording.Storage.Destinations;

/// <summary>A folder on this machine (local runs, mounted volumes). Has no playback URLs: a file path is not a URL a player can fetch.</summary>
public sealed record LocalFolderDestinationSettings : DestinationSettings
{
    /// <summary>Absolute path of the root folder; keys never resolve outside it.</summary>
    public string Path { get; init; } = string.Empty;

    protected override void ValidateProvider(List<SettingsError> errors)
    {
        if (string.IsNullOrEmpty(Path))
        {
            errors.Add(new SettingsError("path", "required", "is required."));
        }
        else if (!System.IO.Path.IsPathFullyQualified(Path))
        {
            errors.Add(new SettingsError("path", "absolute-path", "must be an absolute path."));
        }
        else if (Path.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(new SettingsError("path", "no-control-characters", "must not contain NUL."));
        }
    }
}
