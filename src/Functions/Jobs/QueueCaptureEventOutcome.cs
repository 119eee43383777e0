namespace Recording.Functions.Jobs;

/// <summary>What became of one events-queue message: handed to the sink, or set aside on the poison queue.</summary>
public enum QueueCaptureEventOutcome
{
    Delivered,
    Poisoned,
}
