namespace Recording.Functions.Orchestration;

/// <summary>A media job ended without outputs: it failed, its worker kept dying, or it ran past its time.</summary>
public sealed class MediaJobFailedException(Media.Jobs.MediaJobOperation operation, string message) : Exception(message)
{
    public Media.Jobs.MediaJobOperation Operation { get; } = operation;
}
