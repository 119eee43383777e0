using Recording.Media.Ffmpeg;

namespace Recording.Worker.Commands;

/// <summary>Which ffmpeg and ffprobe the worker runs: RECORDING_FFMPEG_PATH and RECORDING_FFPROBE_PATH, else those on the PATH.</summary>
internal static class WorkerFfmpeg
{
    public static FfmpegOptions FromEnvironment() => new()
    {
        FfmpegPath = Environment.GetEnvironmentVariable("RECORDING_FFMPEG_PATH") ?? "ffmpeg",
        FfprobePath = Environment.GetEnvironmentVariable("RECORDING_FFPROBE_PATH") ?? "ffprobe",
    };
}
