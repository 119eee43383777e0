namespace Recording.Durable.Client;

/// <summary>What an instance id may contain: it becomes a table key and a queue message field on Azure Storage, so the characters those refuse are refused here.</summary>
public static class InstanceIdRules
{
    public const int MaxLength = 256;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the rule if <paramref name="instanceId"/> is not acceptable.</summary>
    public static void Validate(string instanceId, string parameterName = "instanceId")
    {
        if (string.IsNullOrWhiteSpace(instanceId))
        {
            throw new ArgumentException($"{parameterName} must not be empty.", parameterName);
        }

        if (instanceId.Length > MaxLength)
        {
            throw new ArgumentException($"{parameterName} must be at most {MaxLength} characters (got {instanceId.Length}).", parameterName);
        }

        foreach (var c in instanceId)
        {
            if (char.IsControl(c) || c is '/' or '\\' or '#' or '?')
            {
                throw new ArgumentException($"{parameterName} must not contain control characters or any of / \\ # ? (found U+{(int)c:X4}).", parameterName);
            }
        }
    }
}
