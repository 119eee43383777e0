namespace Recording.Durable.Dispatch;

/// <summary>The two kinds of work a worker does.</summary>
public enum WorkItemKind
{
    Orchestration,
    Activity,
}
