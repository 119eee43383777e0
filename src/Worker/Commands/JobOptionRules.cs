namespace Recording.Worker.Commands;

/// <summary>The rules that the queue-driven commands (job, media-job) share for their options, each naming the option it checks.</summary>
internal static class JobOptionRules
{
    public static TimeSpan Duration(string option, string text)
        => DurationText.TryParse(text, out var value) ? value : throw new JobInputException(option, "duration-format", $"'{text}' is not a duration such as 90s, 10m or 2h.");

    /// <summary>How long a message stays hidden per renewal: Azure queues allow 0 to 7 days; under 3 s the renewals could not keep up.</summary>
    public static TimeSpan VisibilityTimeout(string option, string text)
    {
        var visibility = Duration(option, text);
        return visibility < TimeSpan.FromSeconds(3) || visibility > TimeSpan.FromDays(7)
            ? throw new JobInputException(option, "range", "must be between 3 s and 7 days.")
            : visibility;
    }

    public static int MaxDequeueCount(string option, int value)
        => value is < 1 or > 100 ? throw new JobInputException(option, "range", "must be between 1 and 100.") : value;

    /// <summary>An Azure queue name short enough to take the '-poison' suffix of its set-aside queue.</summary>
    public static string QueueName(string option, string name)
    {
        if (name.Length is < 3 or > 56 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || name.Contains("--", StringComparison.Ordinal) || name[0] == '-' || name[^1] == '-')
        {
            throw new JobInputException(option, "queue-name", "must be 3 to 56 lowercase letters, digits or single hyphens (room for '-poison').");
        }

        return name;
    }
}
