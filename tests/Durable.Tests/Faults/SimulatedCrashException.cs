namespace Recording.Durable.Tests.Faults;

/// <summary>Thrown by <see cref="FaultInjectingBackend"/> to abandon the worker mid-operation, as if its process died.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException(string message)
        : base(message)
    {
    }
}
