namespace Recording.Media.Capture;

/// <summary>A capture option breaks its rule; a user fault, never retried.</summary>
public sealed class CaptureOptionsException : Exception
{
    public CaptureOptionsException(string field, string rule, string message)
        : base($"{field} ({rule}): {message}")
    {
        Field = field;
        Rule = rule;
    }

    public string Field { get; }

    public string Rule { get; }
}
