using Recording.Media.Ffmpeg;

namespace Recording.Worker.Commands;

/// <summary>The media-job command's own settings in queue mode (what a message cannot choose).</summary>
internal sealed record MediaJobSettings
{
    public required string Queue { get; init; }

    /// <summary>How long a message stays invisible per renewal: a crashed job's message is back after at most this.</summary>
    public required TimeSpan VisibilityTimeout { get; init; }

    /// <summary>A message delivered more often than this (a job that keeps crashing) is reported failed and set aside.</summary>
    public required int MaxDequeueCount { get; init; }

    /// <summary>When set (a full path), a message's input and output folder must lie inside it, or the message is refused.</summary>
    public string? OutputRoot { get; init; }

    /// <summary>The queue each finished job's <see cref="Media.Jobs.MediaJobReply"/> goes to (the service's events queue).</summary>
    public string? ReplyQueue { get; init; }

    public required FfmpegOptions Ffmpeg { get; init; }
}
