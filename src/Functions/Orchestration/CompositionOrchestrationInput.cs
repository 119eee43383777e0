using Recording.Functions.Compositions;

namespace Recording.Functions.Orchestration;

/// <summary>The input of <see cref="CompositionOrchestrator"/>: the request and the settings fixed when it was scheduled.</summary>
public sealed record CompositionOrchestrationInput
{
    public required CompositionCommand Command { get; init; }

    /// <summary>Where the tracks are fetched to and the compose job writes, on the file system the media jobs share.</summary>
    public required string WorkFolder { get; init; }

    public required MediaJobLimits MediaJobs { get; init; }

    /// <summary>How long to wait for recordings still going (recording, or post-processing) before the composition fails.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary>The pause after the first check of recordings still going; later pauses double, up to a minute.</summary>
    public TimeSpan FirstCheckPause { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks of the recordings in one execution; then the wait continues as new (see <see cref="Wait"/>).</summary>
    public int WaitChecksPerExecution { get; init; } = 30;

    /// <summary>A wait carried on from an earlier execution; null on the first.</summary>
    public CompositionWait? Wait { get; init; }

    public int UploadAttempts { get; init; } = 12;
}

/// <summary>
/// Where a wait for recordings stands when it continues as new: its deadline (from the first execution), its next pause, and
/// the recordings it still waits for (published again at once, for the status and for the recordings' wake).
/// </summary>
public sealed record CompositionWait(DateTime Deadline, TimeSpan NextPause, IReadOnlyList<string> WaitingFor);
