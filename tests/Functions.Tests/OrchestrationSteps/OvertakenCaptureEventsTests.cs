using System.Collections.Concurrent;
using System.Text.Json;
using Recording.Durable.Client;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Registry;
using Recording.Functions.Jobs;
using Recording.Functions.Orchestration;
using Recording.Functions.Orchestration.Activities;
using Recording.Functions.Recordings;
using Recording.Functions.Templates;
using Recording.Media.Capture;
using Recording.Media.Manifest;
using Recording.Media.Splice.Fragmented;

namespace Recording.Functions.Tests.OrchestrationSteps;

/// <summary>
/// The recording orchestrator on the real engine, its capture events raised as the capture job's listener raises them but in
/// another order: the end of the capture arrives before a segment's event, as a queue or an episode that a worker abandoned
/// may deliver it. The activities are stand-ins that record what they were asked: the order is what is tested here, and
/// the real activities have their own tests.
/// </summary>
public sealed class OvertakenCaptureEventsTests
{
    private const string Id = "overtaken";

    [Fact]
    public async Task TheEndArrivingBeforeASegment_WaitsForIt_AndEverySegmentIsUploadedAndSplicedInOrder()
    {
        await using var rig = await Rig.StartAsync();
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
        await using var rig = await Rig.StartAsync();
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
        await using var rig = await Rig.StartAsync();
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
        await using var rig = await Rig.StartAsync();
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
        await using var rig = await Rig.StartAsync();
        await rig.RecordAsync(OrchestratorCodeVersion.Current);
        await rig.SegmentAsync(0);
        var lostAt = new DateTimeOffset(2026, 12, 1, 0, 0, 5, TimeSpan.Zero);
        await rig.PublishAsync(new SourceResumed { RecordingId = Id, At = lostAt.AddSeconds(3), Gap = new ManifestGap { AfterIndex = 0, StartedAt = lostAt, EndedAt = lostAt.AddSeconds(3) } });
        await rig.PublishAsync(new SourceLost { RecordingId = Id, At = lostAt, ResumeDeadline = lostAt.AddSeconds(60) });
        // Events are taken in the order they were raised: once the next segment is in, the late loss has been taken too.
        await rig.SegmentAsync(1);
        await rig.WaitUntilUploadedAsync(2);

        Assert.Equal(RecordingPhases.Recording, (await rig.ProgressAsync()).Phase);
        await rig.EndAsync(segments: 2);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await rig.CompletionAsync()).RuntimeStatus);
    }

    /// <summary>A recording orchestration on a SQLite engine of its own, with stand-in activities.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly ConcurrentQueue<int> appended = new();
        private readonly ConcurrentQueue<string> spliced = new();
        private InProcessEngine? engine;

        public IReadOnlyList<int> Appended => [.. appended];

        /// <summary>The splice steps run after the capture: the file spliced while recording finished, or the classic splice.</summary>
        public IReadOnlyList<string> Spliced => [.. spliced];

        private InProcessEngine Engine => engine ?? throw new InvalidOperationException("The rig has not started.");

        private DurableTaskClient Client => Engine.Client;

        public static async Task<Rig> StartAsync()
        {
            var rig = new Rig();
            rig.engine = await InProcessEngine.StartAsync(new DurableTaskRegistry()
                .AddOrchestrator<RecordingOrchestrator>()
                .AddActivityFunc<JsonElement, CaptureJobHandle>(nameof(StartCapture), (_, _) => Task.FromResult(new CaptureJobHandle(Id, "job", Reattached: false)))
                .AddActivityFunc<UploadSegmentInput, UploadedFile>(nameof(UploadSegment), (_, upload) => Task.FromResult(new UploadedFile($"segments/{Path.GetFileName(upload.LocalPath)}", 1000, "sha")))
                .AddActivityFunc<AppendToSpliceInput, FragmentedSpliceState>(nameof(AppendToSplice), (_, append) => Task.FromResult(rig.Append(append)))
                .AddActivityFunc<JsonElement, PostProcessOutput>(nameof(FinishSplice), (_, _) => Task.FromResult(rig.Splice(nameof(FinishSplice))))
                .AddActivityFunc<JsonElement, PostProcessOutput>(nameof(SpliceSegments), (_, _) => Task.FromResult(rig.Splice(nameof(SpliceSegments))))
                .AddActivityFunc<JsonElement, bool>(nameof(StopCapture), (_, _) => Task.FromResult(true))
                .AddActivityFunc<JsonElement, int>(nameof(NotifyRecording), (_, _) => Task.FromResult(0))
                .AddActivityFunc<JsonElement, int>(nameof(ReleaseLocalFiles), (_, _) => Task.FromResult(0))
                .AddActivityFunc<JsonElement, int>(nameof(WakeWaitingCompositions), (_, _) => Task.FromResult(0)));
            return rig;
        }

        /// <summary>Starts the recording as the given orchestrator version; a stop is waited for 2 s.</summary>
        public Task<string> RecordAsync(string version) => Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(RecordingOrchestrator),
            new RecordingOrchestrationInput
            {
                Command = new RecordingStartCommand(Id, ["rtmp://127.0.0.1/live/cam"], null, null, new RecordingTemplate(), DateTimeOffset.UtcNow),
                WorkFolder = Engine.Folder,
                StopConfirmationTimeout = TimeSpan.FromSeconds(2),
            },
            new StartOrchestrationOptions(Id, Version: version));

        public Task SegmentAsync(int index)
        {
            var startedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(5 * index);
            return PublishAsync(new SegmentReady
            {
                RecordingId = Id,
                At = startedAt.AddSeconds(5),
                Segment = new SegmentEntry
                {
                    Index = index,
                    File = $"segment_{index:D5}.mp4",
                    StartedAt = startedAt,
                    EndedAt = startedAt.AddSeconds(5),
                    DurationSeconds = 5,
                    Bytes = 1000,
                    Sha256 = "sha",
                    Streams = new StreamInfo { VideoCodec = "h264" },
                    EndReason = SegmentEndReason.Rotation,
                },
            });
        }

        public Task EndAsync(int segments) => PublishAsync(new CaptureExited
        {
            RecordingId = Id,
            At = DateTimeOffset.UtcNow,
            Reason = CaptureExitReason.Stopped,
            Segments = segments,
            TotalDurationSeconds = 5 * segments,
            TotalBytes = 1000 * segments,
        });

        /// <summary>Waits until the orchestration has taken in an event whose payload contains <paramref name="text"/>.</summary>
        public async Task WaitUntilTakenAsync(string text)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!(await Engine.Backend.GetHistoryAsync(Id, deadline.Token)).OfType<EventRaised>().Any(e => e.Input?.Contains(text, StringComparison.Ordinal) == true))
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        public async Task<OrchestrationMetadata> CompletionAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                return await Client.WaitForInstanceCompletionAsync(Id, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var state = await Client.GetInstanceAsync(Id);
                var history = string.Join(", ", (await Engine.Backend.GetHistoryAsync(Id)).Select(e => e switch
                {
                    TaskScheduled t => $"scheduled {t.Name}",
                    TaskFailed f => $"failed {f.FailureDetails.ErrorMessage}",
                    _ => e.GetType().Name,
                }));
                throw new TimeoutException($"{Id} did not complete: {state?.RuntimeStatus}, status {state?.SerializedCustomStatus}; history: {history}; engine log: {string.Join(" | ", Engine.Logs.Lines.TakeLast(5))}");
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (engine is not null)
            {
                await engine.DisposeAsync();
            }
        }

        public Task PublishAsync(CaptureEvent captureEvent) => new OrchestrationCaptureEventSink(Client).PublishAsync(captureEvent);

        public async Task WaitUntilUploadedAsync(int segments)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((await Client.GetInstanceAsync(Id, deadline.Token))?.ReadCustomStatusAs<RecordingProgress>() is not { } progress || progress.Segments.Count < segments)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        public async Task<RecordingProgress> ProgressAsync() => (await Client.GetInstanceAsync(Id))!.ReadCustomStatusAs<RecordingProgress>()!;

        /// <summary>As the real appender: an index already in changes nothing, and one below the last one in is refused.</summary>
        private FragmentedSpliceState Append(AppendToSpliceInput append)
        {
            var state = append.State ?? new FragmentedSpliceState { Indices = [] };
            if (state.Indices!.Contains(append.Index))
            {
                return state;
            }

            if (append.Index < state.LastIndex)
            {
                throw new IncompatibleSegmentException(append.SegmentPath, $"segment {append.Index} came after segment {state.LastIndex} was appended");
            }

            appended.Enqueue(append.Index);
            return state with { LastIndex = append.Index, Indices = [.. state.Indices!, append.Index], Segments = state.Segments + 1 };
        }

        private PostProcessOutput Splice(string step)
        {
            spliced.Enqueue(step);
            return new PostProcessOutput([], "spliced.mp4");
        }
    }
}
