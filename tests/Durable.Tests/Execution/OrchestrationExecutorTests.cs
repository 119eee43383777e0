using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Recording.Durable.Backends;
using Recording.Durable.Execution;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Orchestrations;
using Recording.Durable.Registry;
using Recording.TestSupport;

namespace Recording.Durable.Tests.Execution;

/// <summary>The executor as the pure function it is: history and messages in, commit out, no backend and no clock.</summary>
public sealed class OrchestrationExecutorTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CapturingLoggerFactory logs = new();
    private readonly List<(bool Replaying, Guid Guid)> observed = [];

    public void Dispose() => logs.Dispose();

    private OrchestrationExecutor Executor() => new(new DurableTaskRegistry().AddOrchestratorFunc<string, string>("Two", async (context, input) =>
    {
        observed.Add((context.IsReplaying, context.NewGuid()));
        context.CreateReplaySafeLogger("test").LogInformation("calling first");
        var a = await context.CallActivityAsync<string>("First", input);
        context.CreateReplaySafeLogger("test").LogInformation("calling second");
        var b = await context.CallActivityAsync<string>("Second", a);
        return $"{a}+{b}@{context.CurrentUtcDateTime:HH:mm}";
    }), loggerFactory: logs);

    private static OrchestrationWorkItem Item(IReadOnlyList<HistoryEvent> history, params OrchestrationMessage[] messages) =>
        new("i", history, messages, new InstanceState("i", "Two", "e1", OrchestrationRuntimeStatus.Pending, T0, T0), "lock", T0.AddMinutes(1));

    private static OrchestrationMessage Start() => new("i", null, new ExecutionStarted("Two", "e1", "\"x\""), "start");

    private static OrchestrationMessage Result(int id, string result, string? messageId = null, string execution = "e1") =>
        new("i", execution, new TaskCompleted(id, DurableJson.Serialize(result)), messageId ?? $"r{id}");

    [Fact]
    public void Episodes_ReplayEarlierCallsWithoutSchedulingThemAgain_AndLogOnlyOnce()
    {
        var executor = Executor();
        var first = executor.Execute(Item([], Start()), T0).Commit!;
        Assert.Equal(["First"], first.ActivityRequests.Select(r => r.Name));
        Assert.Equal(OrchestrationRuntimeStatus.Running, first.State!.RuntimeStatus);

        var second = executor.Execute(Item(first.NewHistory, Result(0, "A")), T0.AddMinutes(5)).Commit!;
        Assert.Equal(["Second"], second.ActivityRequests.Select(r => r.Name));
        Assert.Equal(1, second.ActivityRequests[0].TaskScheduledId);

        var third = executor.Execute(Item([.. first.NewHistory, .. second.NewHistory], Result(1, "B")), T0.AddMinutes(7)).Commit!;
        Assert.Empty(third.ActivityRequests);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, third.State!.RuntimeStatus);
        // The output is JSON (the encoder may escape '+'); its value carries the clock of the third episode.
        Assert.Equal("A+B@00:07", DurableJson.Deserialize<string>(third.State.Output));

        // Three episodes ran the code three times, but each log line was written once, and NewGuid never changed.
        Assert.Equal(["calling first", "calling second"], logs.Lines);
        Assert.Equal([false, true, true], observed.Select(o => o.Replaying));
        Assert.Single(observed.Select(o => o.Guid).Distinct());
    }

    [Fact]
    public void DuplicateAndStaleMessages_AreConsumedButNotDelivered()
    {
        var executor = Executor();
        var first = executor.Execute(Item([], Start()), T0).Commit!;

        var second = executor.Execute(Item(first.NewHistory, Result(0, "A"), Result(0, "A"), Result(0, "OLD", "stale", execution: "e0"), Result(7, "?")), T0).Commit!;

        Assert.Equal(4, second.ConsumedMessageIds.Count);
        Assert.Single(second.NewHistory.OfType<TaskCompleted>());
        Assert.Equal(["Second"], second.ActivityRequests.Select(r => r.Name));
        var history = first.NewHistory.Concat(second.NewHistory).ToList();
        var redelivered = executor.Execute(Item(history, Result(0, "A")), T0).Commit!;
        Assert.DoesNotContain(redelivered.NewHistory, e => e is TaskCompleted);
        Assert.Empty(redelivered.ActivityRequests);
    }

    [Fact]
    public void EventsBeforeTheStartMessage_AreDeferred_AndMessagesForNoInstanceAreDropped()
    {
        var executor = Executor();
        var early = new OrchestrationMessage("i", null, new EventRaised("go", null), "ev");

        var deferred = executor.Execute(Item([], early), T0);
        Assert.Null(deferred.Commit);
        Assert.NotNull(deferred.RetryAfter);

        var orphan = executor.Execute(Item([], early) with { State = null }, T0).Commit!;
        Assert.Empty(orphan.NewHistory);
        Assert.Null(orphan.State);
        Assert.Equal(["ev"], orphan.ConsumedMessageIds);
    }

    /// <summary>"Counter": waits for one "inc" event per execution and continues as new until the count reaches 3.</summary>
    private static OrchestrationExecutor CounterExecutor() => new(new DurableTaskRegistry().AddOrchestratorFunc<int, int>("Counter", async (context, count) =>
    {
        await context.WaitForExternalEvent<int>("inc");
        if (count + 1 < 3)
        {
            context.ContinueAsNew(count + 1);
        }

        return count + 1;
    }));

    /// <summary>An "inc" event for Counter instance "c", as a client raises it (addressed to no execution).</summary>
    private static OrchestrationMessage Inc(int value) => new("c", null, new EventRaised("inc", DurableJson.Serialize(value)), $"inc{value}");

    [Fact]
    public void EventsBetweenContinueAsNewAndTheNextStart_WaitForIt_AndAreNotLost()
    {
        var executor = CounterExecutor();
        var pending = new InstanceState("c", "Counter", "e1", OrchestrationRuntimeStatus.Pending, T0, T0);

        // The first execution takes one event and carries the other over to the next one.
        var first = executor.Execute(new OrchestrationWorkItem("c", [], [new("c", null, new ExecutionStarted("Counter", "e1", "0"), "start1"), Inc(0), Inc(1)], pending, "lock", T0.AddMinutes(1)), T0).Commit!;
        var nextStart = first.OutboundMessages.Single(m => m.Event is ExecutionStarted);
        var carried = first.OutboundMessages.Single(m => m.Event is EventRaised);
        Assert.Equal(first.State!.ExecutionId, carried.ExecutionId);

        // The carried event and one a client raised meanwhile arrive before the next execution's start message: they wait.
        var early = executor.Execute(new OrchestrationWorkItem("c", [], [carried, Inc(2)], first.State, "lock", T0.AddMinutes(1)), T0);
        Assert.Null(early.Commit);
        Assert.NotNull(early.RetryAfter);

        // With the start they are delivered: the second execution takes one and carries the other.
        var second = executor.Execute(new OrchestrationWorkItem("c", [], [nextStart, carried, Inc(2)], first.State, "lock", T0.AddMinutes(1)), T0).Commit!;
        Assert.Equal(OrchestrationRuntimeStatus.Running, second.State!.RuntimeStatus);
        Assert.Equal("2", second.State.Input);
        // The carried event was taken; the client's is carried on to the third execution.
        var carriedOn = Assert.Single(second.OutboundMessages, m => m.Event is EventRaised);
        Assert.Equal(2, DurableJson.Deserialize<int>(((EventRaised)carriedOn.Event).Input));
    }

    [Fact]
    public void ContinuedExecution_WaitsForEveryEventCarriedToIt_BeforeItStarts()
    {
        var executor = CounterExecutor();
        var pending = new InstanceState("c", "Counter", "e1", OrchestrationRuntimeStatus.Pending, T0, T0);

        // The first execution takes one event and carries two over, each a message of its own.
        var first = executor.Execute(new OrchestrationWorkItem("c", [], [new("c", null, new ExecutionStarted("Counter", "e1", "0"), "start1"), Inc(0), Inc(1), Inc(2)], pending, "lock", T0.AddMinutes(1)), T0).Commit!;
        var nextStart = first.OutboundMessages.Single(m => m.Event is ExecutionStarted);
        var carried = first.OutboundMessages.Where(m => m.Event is EventRaised).ToList();
        Assert.Equal(2, carried.Count);

        // A queue delivered the start with only one of them. Starting now, the execution would take that one and continue,
        // and the other, addressed to it, would arrive for an ended execution and be dropped: it waits instead.
        var partial = executor.Execute(new OrchestrationWorkItem("c", [], [nextStart, carried[0]], first.State, "lock", T0.AddMinutes(1)), T0.AddSeconds(1));
        Assert.Null(partial.Commit);
        Assert.Equal(OrchestrationExecutor.NotStartedRetryDelay, partial.RetryAfter);
        Assert.Equal(2, ((ExecutionStarted)nextStart.Event).CarriedEvents);

        // With both it starts, takes one and carries the other on to the third execution.
        var second = executor.Execute(new OrchestrationWorkItem("c", [], [nextStart, carried[0], carried[1]], first.State, "lock", T0.AddMinutes(1)), T0.AddSeconds(2)).Commit!;
        var third = second.OutboundMessages.Single(m => m.Event is ExecutionStarted);
        Assert.Equal(1, ((ExecutionStarted)third.Event).CarriedEvents);
        Assert.Equal(2, DurableJson.Deserialize<int>(((EventRaised)Assert.Single(second.OutboundMessages, m => m.Event is EventRaised).Event).Input));

        // The wait is bounded: a carried message lost to a fault does not hold the instance forever.
        var late = executor.Execute(new OrchestrationWorkItem("c", [], [nextStart, carried[0]], first.State, "lock", T0.AddMinutes(10)), T0 + OrchestrationExecutor.CarriedEventsWait + TimeSpan.FromSeconds(1));
        Assert.NotNull(late.Commit);
    }

    [Fact]
    public void ReplayedCallOfAnotherKind_FailsTheInstance_NamingTheRecordedCallAndTheNewOne()
    {
        // An older version of "Two" started with a timer; the code now starts with an activity at the same sequence id.
        var fireAt = T0.AddMinutes(1);
        var history = new HistoryEvent[] { new OrchestratorStarted(), Start().Event, new TimerCreated(0, fireAt) };

        var commit = Executor().Execute(Item(history, new OrchestrationMessage("i", "e1", new TimerFired(0, fireAt), "t0")), T0.AddMinutes(2)).Commit!;

        Assert.Equal(OrchestrationRuntimeStatus.Failed, commit.State!.RuntimeStatus);
        var failure = commit.State.FailureDetails!;
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, failure.ErrorType);
        Assert.Contains("CreateTimer(", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("CallActivityAsync(\"First\")", failure.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(commit.ActivityRequests);
    }

    [Fact]
    public void RecordedCallThatTheCodeNoLongerMakes_FailsTheInstance_NamingIt()
    {
        var executor = new OrchestrationExecutor(new DurableTaskRegistry().AddOrchestratorFunc<string, string>("Two", (context, _) =>
            context.WaitForExternalEvent<string>("never")));
        var history = new HistoryEvent[] { new OrchestratorStarted(), Start().Event, new TaskScheduled(0, "First", "\"x\"") };

        var commit = executor.Execute(Item(history, Result(0, "A")), T0).Commit!;

        Assert.Equal(OrchestrationRuntimeStatus.Failed, commit.State!.RuntimeStatus);
        Assert.Contains("CallActivityAsync(\"First\")", commit.State.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("no call with that sequence id", commit.State.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplayThatDiverges_SendsNoneOfTheCallsTheNewCodeMadeBeforeTheDivergenceWasFound()
    {
        // The code now fans out to "Upload" and "Notify" together; its history (of an older version) recorded "Splice" first.
        var executor = new OrchestrationExecutor(new DurableTaskRegistry().AddOrchestratorFunc<string, string>("Two", async (context, _) =>
        {
            await Task.WhenAll(context.CallActivityAsync<string>("Upload", "x"), context.CallActivityAsync<string>("Notify", "x"), context.CreateTimer(T0.AddHours(1).UtcDateTime, CancellationToken.None));
            return "done";
        }));
        var history = new HistoryEvent[] { new OrchestratorStarted(), Start().Event, new TaskScheduled(0, "Splice", "\"x\"") };

        var commit = executor.Execute(Item(history, Result(0, "A")), T0).Commit!;

        Assert.Equal(OrchestrationRuntimeStatus.Failed, commit.State!.RuntimeStatus);
        Assert.Contains("CallActivityAsync(\"Splice\")", commit.State.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        // A failed instance has no business calling anything: the calls past the divergence are not side effects to run.
        Assert.Empty(commit.ActivityRequests);
        Assert.DoesNotContain(commit.OutboundMessages, m => m.Event is TimerFired);
        Assert.DoesNotContain(commit.NewHistory, e => e is TaskScheduled or TimerCreated);
    }

    [Fact]
    public void UnknownOrchestrator_FailsTheInstanceNamingIt()
    {
        var executor = new OrchestrationExecutor(new DurableTaskRegistry());

        var commit = executor.Execute(Item([], Start()), T0).Commit!;

        Assert.Equal(OrchestrationRuntimeStatus.Failed, commit.State!.RuntimeStatus);
        Assert.Contains("'Two'", commit.State.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.IsType<ExecutionCompleted>(commit.NewHistory[^1]);
    }

    [Fact]
    public void OrchestratorWhoseConstructionFails_FailsTheInstanceWithTheReason_InsteadOfLeavingTheEpisodeToBeRetried()
    {
        // The container cannot give the constructor its service: the instance fails, as an activity that cannot be made does.
        using var services = new ServiceCollection().BuildServiceProvider();
        var executor = new OrchestrationExecutor(new DurableTaskRegistry().AddOrchestrator<NeedsAStore>("Two"), services);

        var commit = executor.Execute(Item([], Start()), T0).Commit!;

        Assert.Equal(OrchestrationRuntimeStatus.Failed, commit.State!.RuntimeStatus);
        Assert.Equal(typeof(InvalidOperationException).FullName, commit.State.FailureDetails!.ErrorType);
        Assert.Contains(nameof(IUnregisteredStore), commit.State.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.IsType<ExecutionCompleted>(commit.NewHistory[^1]);
        Assert.Empty(commit.ActivityRequests);
    }

    public interface IUnregisteredStore;

    private sealed class NeedsAStore(IUnregisteredStore store) : TaskOrchestrator<string, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, string input) => Task.FromResult(store.ToString()!);
    }
}
