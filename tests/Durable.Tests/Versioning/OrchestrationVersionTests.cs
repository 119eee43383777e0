using Recording.Durable.Dispatch;
using Recording.Durable.Versioning;

namespace Recording.Durable.Tests.Versioning;

public sealed class OrchestrationVersionTests
{
    [Theory]
    [InlineData(null, "", 0)]
    [InlineData(null, "1", -1)]
    [InlineData("1", "", 1)]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("2.0", "2.0", 0)]
    [InlineData("10.0", "9.5", 1)]
    [InlineData("2025-01-01", "2025-02-01", -1)]
    [InlineData("V1-Release", "v1-release", 0)]
    [InlineData("2", "2.0", 0)]
    [InlineData("9", "10", -1)]
    [InlineData("2", "1.5", 1)]
    public void Compare_OrdersAsDurableFunctionsDoes(string? left, string? right, int expectedSign)
    {
        Assert.Equal(expectedSign, Math.Sign(OrchestrationVersion.Compare(left, right)));
        Assert.Equal(-expectedSign, Math.Sign(OrchestrationVersion.Compare(right, left)));
    }

    [Theory]
    [InlineData(VersionMatchStrategy.CurrentOrOlder, "2", null, true)]
    [InlineData(VersionMatchStrategy.CurrentOrOlder, "2", "1.9", true)]
    [InlineData(VersionMatchStrategy.CurrentOrOlder, "2", "2", true)]
    [InlineData(VersionMatchStrategy.CurrentOrOlder, "2", "2.1", false)]
    [InlineData(VersionMatchStrategy.CurrentOrOlder, null, "1", false)]
    [InlineData(VersionMatchStrategy.CurrentOrOlder, null, null, true)]
    [InlineData(VersionMatchStrategy.Strict, "2", "1", false)]
    [InlineData(VersionMatchStrategy.Strict, "2", "2", true)]
    [InlineData(VersionMatchStrategy.None, "1", "3", true)]
    public void Accepts_FollowsTheMatchStrategy(VersionMatchStrategy strategy, string? workerVersion, string? instanceVersion, bool accepted)
    {
        var versioning = new OrchestrationVersioning { DefaultVersion = workerVersion, MatchStrategy = strategy };
        Assert.Equal(accepted, versioning.Accepts(instanceVersion));
    }

    [Fact]
    public void Validate_NamesTheSettingAndTheRule()
    {
        var tooLong = new DurableWorkerOptions { Versioning = { DefaultVersion = new string('1', OrchestrationVersioning.MaxVersionLength + 1) } };
        var error = Assert.Throws<ArgumentException>(tooLong.Validate);
        Assert.Contains("DefaultVersion must be at most 100 characters", error.Message, StringComparison.Ordinal);

        var unnamed = new OrchestrationVersioning { FailureStrategy = (VersionFailureStrategy)7 };
        Assert.Contains("FailureStrategy must be one of their named values", Assert.Throws<ArgumentException>(unnamed.Validate).Message, StringComparison.Ordinal);

        var noDelay = new OrchestrationVersioning { RejectedRetryDelay = TimeSpan.Zero };
        Assert.Contains("RejectedRetryDelay must be positive", Assert.Throws<ArgumentException>(noDelay.Validate).Message, StringComparison.Ordinal);
    }
}
