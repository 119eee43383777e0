using Recording.Media.Ffmpeg;

namespace Recording.Worker.Commands;

/// <summary>The job command's own settings (what a start message cannot choose).</summary>
internal sealed record JobSettings
{
    public required string StartQueue { get; init; }

    /// <summary>How long the start message stays invisible per renewal: a crashed job's message is back after at most this.</summary>
    public required TimeSpan VisibilityTimeout { get; init; }

    public required TimeSpan StopPollInterval { get; init; }

    /// <summary>A start message delivered more often than this (a job that keeps crashing) is reported failed and set aside.</summary>
    public required int MaxDequeueCount { get; init; }

    /// <summary>When set, a message's output folder must lie inside it (relative folders are resolved against it).</summary>
    public string? OutputRoot { get; init; }

    /// <summary>The deployment's consent to private and loopback sources; a message can ask for it, not grant it.</summary>
    public bool AllowPrivateNetworks { get; init; }

    public required long MinFreeDiskBytes { get; init; }

    public required FfmpegOptions Ffmpeg { get; init; }
}
