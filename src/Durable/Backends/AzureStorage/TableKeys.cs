namespace Recording.Durable.Backends.AzureStorage;

/// <summary>Partition and row keys of the History and Instances tables, escaped so that any instance id is a legal key.</summary>
/// <remarks>
/// Table keys refuse '/', '\', '#', '?' and control characters, and instance ids are chosen by users (a recording id),
/// so ids are percent-escaped. Escaping is per character, so the escaped prefix of an id is a prefix of the escaped id,
/// and '|' (always escaped) can separate the execution id from the sequence in a history row key.
/// </remarks>
internal static class TableKeys
{
    /// <summary>Row key of the instance row kept in the History table beside the events (DTFx calls it the sentinel).</summary>
    public const string InstanceRowKey = "~instance";

    /// <summary>Row key of an instance's row in the Instances table.</summary>
    public const string StatusRowKey = "";

    /// <summary>A table key may be at most 1 KiB.</summary>
    private const int MaxKeyLength = 1024;

    public static string Escape(string value)
    {
        var escaped = Uri.EscapeDataString(value);
        if (escaped.Length > MaxKeyLength - 20)
        {
            throw new ArgumentException($"instanceId: at most {MaxKeyLength - 20} characters once escaped for a table key (got {escaped.Length}).", nameof(value));
        }

        return escaped;
    }

    /// <summary>Row key of the event at <paramref name="sequence"/> (0-based) in an execution's history; zero-padded so rows sort in order.</summary>
    public static string HistoryRowKey(string executionId, int sequence) => $"{Escape(executionId)}|{sequence:D8}";

    /// <summary>The row-key range [from, to) that holds one execution's history.</summary>
    public static (string From, string To) HistoryRange(string executionId)
    {
        var prefix = Escape(executionId);
        return (prefix + "|", prefix + "}");
    }
}
