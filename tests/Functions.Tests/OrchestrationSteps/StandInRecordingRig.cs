using System.Collections.Concurrent;
using System.Text.Json;
using Recording.Durable.Client;
using Recording.Durable.History;
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
/// A recording orchestration on a SQLite engine of its own, with stand-in activities that record what they were asked: the
/// order of the orchestrator's steps is what the tests on it check, and the real activities have their own tests.
/// </summary>
internal sealed class StandInRecordingRig : IAsyncDisposable
{
    public const string Id = "stand-in";

    private readonly ConcurrentQueue<int> appended = new();
    private RecordingTemplate template = new();
    private int stopsRequested;
    private readonly ConcurrentQueue<string> spliced = new();
    private InProcessEngine? engine;

    public IReadOnlyList<int> Appended => [.. appended];

    /// <summary>How many times the orchestration asked the capture job to stop.</summary>
    public int StopsRequested => Volatile.Read(ref stopsRequested);

    /// <summary>The splice steps run after the capture: the file spliced while recording finished, or the classic splice.</summary>
    public IReadOnlyList<string> Spliced => [.. spliced];

    private InProcessEngine Engine => engine ?? throw new InvalidOperationException("The rig has not started.");

    private DurableTaskClient Client => Engine.Client;

    /// <summary>
    /// Starts the engine. <paramref name="notify"/> stands in for the delivery of each event (by default at once); the
    /// recording's template is <paramref name="template"/> (by default one without notifications, so none is sent).
    /// </summary>
    public static async Task<StandInRecordingRig> StartAsync(RecordingTemplate? template = null, Func<NotifyInput, Task<int>>? notify = null)
    {
        var rig = new StandInRecordingRig { template = template ?? new RecordingTemplate() };
        notify ??= _ => Task.FromResult(0);
        rig.engine = await InProcessEngine.StartAsync(new DurableTaskRegistry()
            .AddOrchestrator<RecordingOrchestrator>()
            .AddActivityFunc<JsonElement, CaptureJobHandle>(nameof(StartCapture), (_, _) => Task.FromResult(new CaptureJobHandle(Id, "job", Reattached: false)))
            .AddActivityFunc<UploadSegmentInput, UploadedFile>(nameof(UploadSegment), (_, upload) => Task.FromResult(new UploadedFile($"segments/{Path.GetFileName(upload.LocalPath)}", 1000, "sha")))
            .AddActivityFunc<AppendToSpliceInput, FragmentedSpliceState>(nameof(AppendToSplice), (_, append) => Task.FromResult(rig.Append(append)))
            .AddActivityFunc<JsonElement, PostProcessOutput>(nameof(FinishSplice), (_, _) => Task.FromResult(rig.Splice(nameof(FinishSplice))))
            .AddActivityFunc<JsonElement, PostProcessOutput>(nameof(SpliceSegments), (_, _) => Task.FromResult(rig.Splice(nameof(SpliceSegments))))
            .AddActivityFunc<JsonElement, bool>(nameof(StopCapture), (_, _) => Task.FromResult(rig.StopCapture()))
            .AddActivityFunc<NotifyInput, int>(nameof(NotifyRecording), (_, delivery) => notify(delivery))
            .AddActivityFunc<JsonElement, int>(nameof(ReleaseLocalFiles), (_, _) => Task.FromResult(0))
            .AddActivityFunc<JsonElement, int>(nameof(WakeWaitingCompositions), (_, _) => Task.FromResult(0)));
        return rig;
    }

    /// <summary>Starts the recording as the given orchestrator version; a stop is waited for 2 s.</summary>
    public Task<string> RecordAsync(string version) => Client.ScheduleNewOrchestrationInstanceAsync(
        nameof(RecordingOrchestrator),
        new RecordingOrchestrationInput
        {
            Command = new RecordingStartCommand(Id, ["rtmp://127.0.0.1/live/cam"], null, null, template, DateTimeOffset.UtcNow),
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

    /// <summary>Asks the recording to stop, as <c>POST /api/recordings/{id}/stop</c> does.</summary>
    public Task StopAsync() => Client.RaiseEventAsync(Id, CaptureEventNames.Stop, new StopRequest(DateTimeOffset.UtcNow));

    public async Task<List<HistoryEvent>> HistoryAsync() => [.. await Engine.Backend.GetHistoryAsync(Id)];

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

    private bool StopCapture()
    {
        Interlocked.Increment(ref stopsRequested);
        return true;
    }

    private PostProcessOutput Splice(string step)
    {
        spliced.Enqueue(step);
        return new PostProcessOutput([], "spliced.mp4");
    }
}
