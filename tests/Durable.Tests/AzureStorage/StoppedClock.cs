namespace Recording.Durable.Tests.AzureStorage;

/// <summary>A worker clock that does not move: a worker frozen in a pause reads the time it read before the pause.</summary>
internal sealed class StoppedClock(DateTimeOffset at) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => at;
}
