namespace Recording.Functions.Recordings;

/// <summary>How to stop: gracefully (ffmpeg gets 'q', then post-processing and notifications) or terminate (end the orchestration at once; what is uploaded stays).</summary>
public enum StopMode
{
    Graceful,
    Terminate,
}
