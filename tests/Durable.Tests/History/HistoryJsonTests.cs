using Recording.Durable.Backends;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Tests.History;

public sealed class HistoryJsonTests
{
    public static TheoryData<HistoryEvent> Events() =>
    [
        new ExecutionStarted("Orch", "e1", "{\"a\":1}") { Parent = new ParentInstance("p", "pe", 3), ScheduledStartAt = DateTimeOffset.UnixEpoch, Timestamp = DateTimeOffset.UnixEpoch.AddDays(1), MessageId = "m1" },
        new OrchestratorStarted { Timestamp = DateTimeOffset.UnixEpoch },
        new TaskScheduled(4, "Act", "\"x\""),
        new TaskCompleted(4, "42"),
        new TaskFailed(4, new TaskFailureDetails("System.InvalidOperationException", "boom", "at x", new TaskFailureDetails("Inner", "inner"))),
        new TimerCreated(5, DateTimeOffset.UnixEpoch.AddHours(1)),
        new TimerFired(5, DateTimeOffset.UnixEpoch.AddHours(1)),
        new EventRaised("go", "true"),
        new SubOrchestrationInstanceCreated(6, "Child", "p:0006", null),
        new SubOrchestrationInstanceCompleted(6, "1"),
        new SubOrchestrationInstanceFailed(6, new TaskFailureDetails("T", "m")),
        new ExecutionTerminated("stop", Recurse: false),
        new ExecutionSuspended("pause"),
        new ExecutionResumed(null),
        new ContinuedAsNew("{}", "e2"),
        new ExecutionCompleted(OrchestrationRuntimeStatus.Failed, null, new TaskFailureDetails("T", "m")),
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void EveryEvent_RoundTripsThroughJson_AsItsOwnType(HistoryEvent original)
    {
        var json = DurableJson.Serialize(original);
        var back = DurableJson.Deserialize<HistoryEvent>(json);

        Assert.Equal(original.GetType(), back!.GetType());
        Assert.Equal(DurableJson.Serialize(back), json);
        Assert.Contains($"\"$type\":\"{original.GetType().Name}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_WithDiscriminatorNotFirst_StillDeserializes()
    {
        const string json = "{\"instanceId\":\"i\",\"event\":{\"name\":\"go\",\"input\":\"1\",\"$type\":\"EventRaised\"},\"messageId\":\"m\",\"visibleAt\":\"2030-01-01T00:00:00+00:00\"}";
        var message = DurableJson.Deserialize<OrchestrationMessage>(json)!;

        Assert.Equal(new EventRaised("go", "1"), message.Event);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), message.VisibleAt);
    }
}
