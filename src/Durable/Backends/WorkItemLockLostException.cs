namespace Recording.Durable.Backends;

/// <summary>The lock of a work item expired or was taken by another worker; the commit did not happen and the item will be processed again.</summary>
public sealed class WorkItemLockLostException : Exception
{
    public WorkItemLockLostException(string message)
        : base(message)
    {
    }

    public WorkItemLockLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
