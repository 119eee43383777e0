namespace Recording.Storage.Keys;

/// <summary>An object key or key part was refused; <see cref="Rule"/> names the rule it broke (e.g. "no-parent-segments").</summary>
public sealed class InvalidObjectKeyException : ArgumentException
{
    public InvalidObjectKeyException(string field, string rule, string detail)
        : base($"{field}: rule '{rule}' - {detail}", field)
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>Which input was refused (e.g. "recordingId", "file", "prefixTemplate").</summary>
    public string Field { get; }

    /// <summary>The rule broken: see <see cref="ObjectKeyRules"/>.</summary>
    public string Rule { get; }
}
