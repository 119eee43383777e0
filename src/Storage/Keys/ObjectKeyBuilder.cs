using System.Text;

namespace Recording.Storage.Keys;

/// <summary>
/// Builds keys as DESIGN.md lays them out: `{prefix}/{yyyy}/{MM}/{dd}/{recordingId}/{kind}/{file}`.
/// The prefix is a template with placeholders ({recordingId}, {streamId}, {yyyy}, {MM}, {dd}); every
/// part is checked by <see cref="ObjectKeySanitizer"/> after substitution, so a hostile recording id
/// cannot climb out of the prefix.
/// </summary>
public sealed class ObjectKeyBuilder
{
    /// <summary>The default layout below the prefix.</summary>
    public const string DefaultLayout = "{yyyy}/{MM}/{dd}/{recordingId}";

    private static readonly string[] Placeholders = ["recordingId", "streamId", "yyyy", "MM", "dd"];

    private readonly string prefixTemplate;

    /// <param name="prefixTemplate">The user's prefix (may be empty, may contain placeholders). Date folders and the recording id follow it.</param>
    public ObjectKeyBuilder(string? prefixTemplate)
    {
        this.prefixTemplate = (prefixTemplate ?? string.Empty).Trim();
        ValidateTemplate(this.prefixTemplate);
    }

    /// <summary>The key of one file of a recording.</summary>
    public string Build(ObjectKeyContext context, ObjectKind kind, string file)
    {
        ObjectKeySanitizer.Segment("file", file);
        var key = RecordingFolder(context) + "/" + kind.Path + "/" + file;
        return ObjectKeySanitizer.Path("key", key);
    }

    /// <summary>The folder (no trailing '/') holding everything of one recording; list it with a trailing '/'.</summary>
    public string RecordingFolder(ObjectKeyContext context)
    {
        ObjectKeySanitizer.Segment("recordingId", context.RecordingId);
        if (context.StreamId is not null)
        {
            ObjectKeySanitizer.Segment("streamId", context.StreamId);
        }

        var prefix = Expand(prefixTemplate, context);
        var layout = Expand(DefaultLayout, context);
        return ObjectKeySanitizer.Path("key", prefix.Length == 0 ? layout : prefix + "/" + layout);
    }

    /// <summary>The expanded prefix alone (where a validation probe goes); empty when there is none.</summary>
    public string Prefix(ObjectKeyContext context) => Expand(prefixTemplate, context);

    private static string Expand(string template, ObjectKeyContext context)
    {
        if (template.Length == 0)
        {
            return template;
        }

        var utc = context.StartedAt.UtcDateTime;
        var expanded = new StringBuilder(template)
            .Replace("{recordingId}", context.RecordingId)
            .Replace("{streamId}", context.StreamId ?? "default")
            .Replace("{yyyy}", utc.ToString("yyyy"))
            .Replace("{MM}", utc.ToString("MM"))
            .Replace("{dd}", utc.ToString("dd"))
            .ToString()
            .TrimEnd('/');
        return ObjectKeySanitizer.Path("prefixTemplate", expanded);
    }

    private static void ValidateTemplate(string template)
    {
        if (template.Length == 0)
        {
            return;
        }

        var rest = template;
        foreach (var name in Placeholders)
        {
            rest = rest.Replace("{" + name + "}", "x", StringComparison.Ordinal);
        }

        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
        {
            throw new InvalidObjectKeyException("prefixTemplate", ObjectKeyRules.KnownPlaceholders,
                "may use only {recordingId}, {streamId}, {yyyy}, {MM} and {dd}.");
        }

        ObjectKeySanitizer.Path("prefixTemplate", rest.TrimEnd('/'));
    }
}
