namespace Recording.Storage.Assembly;

/// <summary>
/// The sources cannot be joined by concatenating bytes (an MP4 or FLV file has headers and indexes that a byte
/// join corrupts); the caller must splice them with ffmpeg instead. <see cref="Rule"/> names the rule.
/// </summary>
public sealed class ConcatenationRefusedException(string field, string rule, string message)
    : InvalidOperationException($"{field}: rule '{rule}' - {message}")
{
    public string Field { get; } = field;

    public string Rule { get; } = rule;
}
