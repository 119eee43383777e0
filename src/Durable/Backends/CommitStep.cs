namespace Recording.Durable.Backends;

/// <summary>The boundaries between the steps of a commit, where a crash is simulated by the fault suite.</summary>
public enum CommitStep
{
    /// <summary>Orchestration commit: activity requests enqueued.</summary>
    ActivityRequestsSent,

    /// <summary>Orchestration commit: messages to other instances and timers sent.</summary>
    MessagesSent,

    /// <summary>Orchestration commit: new history written.</summary>
    HistoryWritten,

    /// <summary>Orchestration commit: instance state (status, custom status, output) written.</summary>
    StateWritten,

    /// <summary>Orchestration commit: consumed messages deleted (the commit is complete).</summary>
    MessagesDeleted,

    /// <summary>Activity completion: the result message sent to the orchestration.</summary>
    ActivityResultSent,

    /// <summary>Activity completion: the activity work item deleted (the completion is complete).</summary>
    ActivityDeleted,
}
