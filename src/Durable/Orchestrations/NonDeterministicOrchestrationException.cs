namespace Recording.Durable.Orchestrations;

/// <summary>The orchestrator's code made a different call on replay than the one its history records; the instance fails with this.</summary>
public sealed class NonDeterministicOrchestrationException : Exception
{
    public NonDeterministicOrchestrationException(string message)
        : base(message)
    {
    }
}
