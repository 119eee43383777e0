namespace Recording.Media.Sources;

/// <summary>A source URL was refused by the source policy before any ffmpeg process started; <see cref="Rule"/> names why.</summary>
public sealed class SourceRejectedException : Exception
{
    public SourceRejectedException(string rule, string message)
        : base($"source refused ({rule}): {message}")
    {
        Rule = rule;
    }

    /// <summary>The kebab-case rule that refused the source, e.g. "scheme-not-allowed", "private-address", "not-a-url".</summary>
    public string Rule { get; }
}
