namespace Recording.Storage.Keys;

/// <summary>Rule names carried by <see cref="InvalidObjectKeyException"/>, stable for callers and problem+json answers.</summary>
public static class ObjectKeyRules
{
    public const string NotEmpty = "not-empty";
    public const string NoParentSegments = "no-parent-segments";
    public const string NoAbsolutePath = "no-absolute-path";
    public const string NoControlCharacters = "no-control-characters";
    public const string NoBackslash = "no-backslash";
    public const string NoEmptySegments = "no-empty-segments";
    public const string SingleSegment = "single-segment";
    public const string MaxLength = "max-length";
    public const string KnownPlaceholders = "known-placeholders";
}
