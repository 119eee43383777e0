using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>The input of <see cref="RecordingOrchestrator"/>: the start command, the settings fixed at schedule time, and the state carried across ContinueAsNew.</summary>
public sealed record RecordingOrchestrationInput
{
    public required RecordingStartCommand Command { get; init; }

    /// <summary>The recording's working folder on the machine that runs capture and post-processing.</summary>
    public required string WorkFolder { get; init; }

    public int ContinueAsNewAfterSegments { get; init; } = 50;

    public TimeSpan StopConfirmationTimeout { get; init; } = TimeSpan.FromSeconds(90);

    public int UploadAttempts { get; init; } = 12;

    public TimeSpan UploadFirstRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MediaJobCheckInterval { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan MediaJobTimeout { get; init; } = TimeSpan.FromHours(12);

    public int MediaJobStarts { get; init; } = 3;

    /// <summary>Lets the capture job pull from loopback and private addresses (local deployments).</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Null on the first execution; set by ContinueAsNew.</summary>
    public RecordingState? State { get; init; }
}
