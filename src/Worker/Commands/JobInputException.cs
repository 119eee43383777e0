namespace Recording.Worker.Commands;

/// <summary>A job option or start-message field breaks its rule: named in the message, never retried.</summary>
internal sealed class JobInputException(string field, string rule, string detail) : Exception($"{field} ({rule}): {detail}")
{
    public string Field { get; } = field;

    public string Rule { get; } = rule;
}
