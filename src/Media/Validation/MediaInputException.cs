namespace Recording.Media.Validation;

/// <summary>A request to a media operation broke a rule; names the field and the rule so the caller can fix it (a user fault, never retried).</summary>
public sealed class MediaInputException : Exception
{
    public MediaInputException(string field, string rule)
        : base($"{field}: {rule}")
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>The offending field, as the caller named it (e.g. "segments", "tracks[2].leaveAt", "size").</summary>
    public string Field { get; }

    public string Rule { get; }
}
