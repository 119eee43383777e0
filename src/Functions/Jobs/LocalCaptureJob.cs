using System.Diagnostics;
using System.Text.Json.Serialization;

namespace Recording.Functions.Jobs;

/// <summary>
/// What the local runner remembers of a capture job, in <c>job.json</c> next to the capture folder: enough for a restarted service
/// to re-attach (the process id) or to start the worker again on the same folder, and to go on reading events where it stopped.
/// </summary>
public sealed record LocalCaptureJob
{
    public const string FileName = "job.json";
    public const string EventsFileName = "events.jsonl";
    public const string LogFileName = "worker.log";

    public required CaptureJobRequest Request { get; init; }

    public int ProcessId { get; set; }

    /// <summary>Bytes of the events file already published to the orchestration.</summary>
    public long EventsOffset { get; set; }

    public bool StopRequested { get; set; }

    /// <summary>The exited event was published: nothing more to follow.</summary>
    public bool Finished { get; set; }

    public int Restarts { get; set; }

    /// <summary>When this service launched the worker (never saved: after a restart of the service, the worker is long past its launch).</summary>
    [JsonIgnore]
    public long? LaunchedAt { get; set; }

    /// <summary>
    /// Within seconds of its launch: the worker's command line can read empty while its shell execs dotnet, and its process id,
    /// just handed out, cannot belong to anything else yet.
    /// </summary>
    [JsonIgnore]
    public bool JustLaunched => LaunchedAt is { } at && Stopwatch.GetElapsedTime(at) < TimeSpan.FromSeconds(30);
}
