namespace Recording.Functions.Orchestration;

/// <summary>The orchestration was asked to stop (a composition canceled through the API) and stopped where it was.</summary>
public sealed class CancelRequestedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
