using System.Text.RegularExpressions;

namespace Recording.Functions.Validation;

/// <summary>The shapes of identifiers that end up in storage keys, URLs and database rows.</summary>
public static partial class NameRules
{
    public const string RecordingIdRule = "must be 1 to 64 characters of letters, digits, '-' or '_'";
    public const string TemplateNameRule = "must be 1 to 64 characters of letters, digits, '-' or '_', starting with a letter or digit";
    public const string StreamIdRule = "must be 1 to 128 characters of letters, digits, '-', '_', '.' or ':'";

    public static bool IsRecordingId(string? value) => value is not null && RecordingId().IsMatch(value);

    public static bool IsTemplateName(string? value) => value is not null && TemplateName().IsMatch(value);

    public static bool IsStreamId(string? value) => value is not null && StreamId().IsMatch(value);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RecordingId();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateName();

    [GeneratedRegex("^[a-zA-Z0-9._:-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex StreamId();
}
