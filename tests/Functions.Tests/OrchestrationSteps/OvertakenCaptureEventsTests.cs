using Recording.Durable.Instances;
using Recording.Functions.Orchestration;
using Recording.Functions.Orchestration.Activities;
using Recording.Media.Capture;
using Recording.Media.Manifest;

namespace Recording.Functions.Tests.OrchestrationSteps;

/// <summary>
/// The recording orchestrator on the real engine, its capture events raised as the capture job's listener raises them but in
/// another order: the end of the capture arrives before a segment's event, as a queue or an episode that a worker abandoned
/// may deliver it. The activities are stand-ins that record what they were asked: the order is what is tested here, and
/// the real activities have their own tests.
/// </summary>
public sealed class OvertakenCaptureEventsTests
{
    [Fact]
    public async Task TheEndArrivingBeforeASegment_WaitsForIt_AndEverySegmentIsUploadedAndSplicedInOrder()
    {
        await using var rig = await StandInRecordingRig.StartAsync();
        await rig.RecordAsync(OrchestratorCodeVersion.Current);
        await rig.SegmentAsync(0);
        await rig.SegmentAsync(2);
        await rig.EndAsync(segments: 3);
        await rig.WaitUntilTakenAsync("\"exited\"");
        await rig.SegmentAsync(1);

        var status = await rig.CompletionAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        var progress = status.ReadCustomStatusAs<RecordingProgress>()!;
        Assert.Equal([0, 1, 2], progress.Segments.Select(s => s.Index));
        Assert.Empty(progress.Errors);
        Assert.Equal([0, 1, 2], rig.Appended);
        Assert.Equal(3, status.ReadOutputAs<RecordingOutcome>()!.Segments);
    }

    [Fact]
    public async Task ASegmentWhoseEventNeverComes_IsWaitedForAsLongAsAStop_ThenTheRecordingEndsNamingTheGap()
    {
        await using var rig = await StandInRecordingRig.StartAsync();
        await rig.RecordAsync(OrchestratorCodeVersion.Current);
        await rig.SegmentAsync(0);
        await rig.SegmentAsync(2);
        await rig.EndAsync(segments: 3);

        var status = await rig.CompletionAsync();
        var progress = status.ReadCustomStatusAs<RecordingProgress>()!;
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal([0, 2], progress.Segments.Select(s => s.Index));
        var error = Assert.Single(progress.Errors);
        Assert.Equal("capture-segments-unreported", error.Code);
        Assert.Contains("reported 3 segment(s) at its end, but the events of only 2 arrived", error.Message, StringComparison.Ordinal);
        // The chain ran on past the index that never came, so the file spliced while recording holds what was reported, in order.
        Assert.Equal([0, 2], rig.Appended);
    }

    [Fact]
    public async Task AnInstanceOfVersionOne_EndsAtTheEndEventAsItAlwaysDid_SoItsHistoryReplays()
    {
        await using var rig = await StandInRecordingRig.StartAsync();
        await rig.RecordAsync("1");
        await rig.SegmentAsync(0);
        await rig.SegmentAsync(2);
        await rig.EndAsync(segments: 3);

        var status = await rig.CompletionAsync();
        Assert.Equal([0, 2], status.ReadCustomStatusAs<RecordingProgress>()!.Segments.Select(s => s.Index));
        Assert.Equal([0, 2], rig.Appended);
    }

    [Fact]
    public async Task AnInstanceOfVersionOne_WhoseSegmentCameAfterALaterOne_GivesUpTheFileSplicedWhileRecording_AndSplicesTheClassicWay()
    {
        await using var rig = await StandInRecordingRig.StartAsync();
        await rig.RecordAsync("1");
        await rig.SegmentAsync(0);
        await rig.SegmentAsync(2);
        await rig.WaitUntilUploadedAsync(2);
        await rig.SegmentAsync(1);
        await rig.EndAsync(segments: 3);

        var status = await rig.CompletionAsync();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal([0, 1, 2], status.ReadCustomStatusAs<RecordingProgress>()!.Segments.Select(s => s.Index).Order());
        // Arrival order, as version 1 appends: 1 is refused after 2, so the file is given up rather than published without it.
        Assert.Equal([0, 2], rig.Appended);
        Assert.Equal([nameof(SpliceSegments)], rig.Spliced);
    }

    [Fact]
    public async Task ASourceLossArrivingAfterItsResume_IsIgnored_AndTheRecordingShowsRecording()
    {
        await using var rig = await StandInRecordingRig.StartAsync();
        await rig.RecordAsync(OrchestratorCodeVersion.Current);
        await rig.SegmentAsync(0);
        var lostAt = new DateTimeOffset(2026, 12, 1, 0, 0, 5, TimeSpan.Zero);
        await rig.PublishAsync(new SourceResumed { RecordingId = StandInRecordingRig.Id, At = lostAt.AddSeconds(3), Gap = new ManifestGap { AfterIndex = 0, StartedAt = lostAt, EndedAt = lostAt.AddSeconds(3) } });
        await rig.PublishAsync(new SourceLost { RecordingId = StandInRecordingRig.Id, At = lostAt, ResumeDeadline = lostAt.AddSeconds(60) });
        // Events are taken in the order they were raised: once the next segment is in, the late loss has been taken too.
        await rig.SegmentAsync(1);
        await rig.WaitUntilUploadedAsync(2);

        Assert.Equal(RecordingPhases.Recording, (await rig.ProgressAsync()).Phase);
        await rig.EndAsync(segments: 2);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await rig.CompletionAsync()).RuntimeStatus);
    }
}
