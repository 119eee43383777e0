using Recording.Functions.Hosting;

namespace Recording.Functions.Notifications;

/// <summary>How notifications are sent (section <c>Recording:Notifications</c>).</summary>
public sealed class NotificationOptions : IValidatableOptions
{
    public const string Section = "Recording:Notifications";

    /// <summary>The CloudEvents <c>source</c> of every event: a URI reference naming this deployment.</summary>
    public string Source { get; set; } = "/recording";

    /// <summary>Attempts per webhook delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the first retry; it doubles on every further retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one attempt may take before it counts as a timeout and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        if (!Uri.TryCreate(Source, UriKind.RelativeOrAbsolute, out _) || string.IsNullOrWhiteSpace(Source))
        {
            yield return $"{Section}:Source must be a URI reference, e.g. /recording or https://recording.contoso.com";
        }

        if (MaxAttempts is < 1 or > 20)
        {
            yield return $"{Section}:MaxAttempts must be between 1 and 20";
        }

        if (FirstRetryDelay < TimeSpan.Zero || FirstRetryDelay > MaxRetryDelay)
        {
            yield return $"{Section}:FirstRetryDelay must be between 00:00:00 and MaxRetryDelay";
        }

        if (MaxRetryDelay > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:MaxRetryDelay must be at most 01:00:00";
        }

        if (AttemptTimeout < TimeSpan.FromMilliseconds(100) || AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"{Section}:AttemptTimeout must be between 00:00:00.1 and 00:05:00";
        }
    }
}
