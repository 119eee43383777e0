namespace Recording.Functions.Tests.Notifications;

/// <summary>A clock stopped at one instant: a signature is checked as of when it was sent or received, not when the test reads it.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
