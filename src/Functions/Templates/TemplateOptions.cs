using Recording.Functions.Hosting;

namespace Recording.Functions.Templates;

/// <summary>Rules for templates (section <c>Recording:Templates</c>), with development switches that are off by default.</summary>
public sealed class TemplateOptions : IValidatableOptions
{
    public const string Section = "Recording:Templates";

    /// <summary>Development only: allows segment lengths, durations and windows in seconds so tests run in seconds, not minutes.</summary>
    public bool AllowShortSegments { get; set; }

    /// <summary>Development only: allows plain-http webhook URLs (receivers on a developer machine or in tests).</summary>
    public bool AllowHttpWebhooks { get; set; }

    /// <summary>
    /// Folders (absolute) an inline <c>localFolder</c> destination may write into, besides the data directory's <c>assets</c>
    /// folder; anywhere else is refused, so that a recorder key cannot have the service write into any folder it can reach.
    /// </summary>
    public List<string> LocalFolderRoots { get; set; } = [];

    /// <summary>The longest recording a template may ask for.</summary>
    public TimeSpan MaxRecordingDuration { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<string> Validate()
    {
        if (MaxRecordingDuration < TimeSpan.FromMinutes(1) || MaxRecordingDuration > TimeSpan.FromDays(30))
        {
            yield return $"{Section}:MaxRecordingDuration must be between 00:01:00 and 30.00:00:00";
        }

        foreach (var root in LocalFolderRoots.Where(r => !Path.IsPathFullyQualified(r)))
        {
            yield return $"{Section}:LocalFolderRoots must list absolute folders ('{root}' is not)";
        }
    }
}
