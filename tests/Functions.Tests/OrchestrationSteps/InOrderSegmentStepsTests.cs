using Recording.Durable.Registry;
using Recording.Functions.Orchestration;

namespace Recording.Functions.Tests.OrchestrationSteps;

/// <summary>
/// The chain of per-segment steps (the splice and the HLS VOD built while recording) on the real engine, with segment events
/// raised out of order, as a queue or an abandoned episode may deliver them.
/// </summary>
public sealed class InOrderSegmentStepsTests
{
    private const string EndOfCapture = "-1";

    [Fact]
    public async Task SegmentsArrivingOutOfOrder_AreSteppedInIndexOrder()
    {
        Assert.Equal([0, 1, 2, 3], await StepAsync(inOrder: true, "2", "0", "3", "1", EndOfCapture));
    }

    [Fact]
    public async Task AnIndexNeverReported_HoldsTheChainUntilTheCaptureEnds_ThenTheRestRunsInOrder()
    {
        Assert.Equal([1, 3], await StepAsync(inOrder: true, "3", "1", EndOfCapture));
    }

    [Fact]
    public async Task OrchestratorVersionOne_StepsInArrivalOrder_AsItsInstancesReplay()
    {
        Assert.Equal([2, 0, 1], await StepAsync(inOrder: false, "2", "0", "1", EndOfCapture));
    }

    /// <summary>
    /// A recording's loop in miniature: each segment event adds a step, finished steps start the next, the end drains the
    /// chain. It publishes what it has received, so that the test raises each event only after the one before was taken.
    /// </summary>
    private static async Task<List<int>> RunStepsAsync(Durable.Orchestrations.TaskOrchestrationContext context, bool inOrder)
    {
        var stepped = new List<int>();
        var received = new List<int>();
        var steps = new InOrderSegmentSteps<int>(
            context, "Step", (index, _) => index, stepped.Add, _ => { }, inOrder ? () => stepped.Count == 0 ? 0 : stepped[^1] + 1 : null);
        var segment = context.WaitForExternalEvent<int>("segment");
        while (true)
        {
            var winner = await Task.WhenAny(new[] { segment, steps.InFlight }.OfType<Task>());
            if (winner != segment)
            {
                await steps.CompleteAsync();
                continue;
            }

            var index = await segment;
            if (index < 0)
            {
                break;
            }

            received.Add(index);
            context.SetCustomStatus(received);
            steps.Add(index, $"segment-{index}.mp4");
            segment = context.WaitForExternalEvent<int>("segment");
        }

        await steps.DrainAsync();
        return stepped;
    }

    /// <summary>Raises the events one by one, each once the one before was taken, and returns the steps' order.</summary>
    private static async Task<List<int>> StepAsync(bool inOrder, params string[] events)
    {
        await using var engine = await InProcessEngine.StartAsync(new DurableTaskRegistry()
            .AddActivityFunc<int, int>("Step", (_, index) => Task.FromResult(index))
            .AddOrchestratorFunc<bool, List<int>>("Steps", RunStepsAsync));
        var client = engine.Client;
        var id = await client.ScheduleNewOrchestrationInstanceAsync("Steps", inOrder);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var raised = new List<int>();
        foreach (var index in events.Select(int.Parse))
        {
            await client.RaiseEventAsync(id, "segment", index);
            if (index < 0)
            {
                break;
            }

            raised.Add(index);
            while ((await client.GetInstanceAsync(id, deadline.Token))?.ReadCustomStatusAs<List<int>>() is not { } taken || !taken.SequenceEqual(raised))
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        var done = await client.WaitForInstanceCompletionAsync(id, deadline.Token);
        return done.ReadOutputAs<List<int>>()!;
    }
}
