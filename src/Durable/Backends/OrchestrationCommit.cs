using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Backends;

/// <summary>The result of one orchestration episode, for the backend to commit atomically (or in the safe order, see <see cref="IDurableBackend"/>).</summary>
/// <param name="NewHistory">Events to append to the history (or to replace it with, see <see cref="ReplacesHistory"/>).</param>
/// <param name="ActivityRequests">Activity calls to enqueue.</param>
/// <param name="OutboundMessages">Messages to other instances (sub-orchestration starts, completions to a parent, terminate) and to itself (timers with <see cref="OrchestrationMessage.VisibleAt"/>, events carried over by ContinueAsNew).</param>
/// <param name="State">The instance's new state (status, custom status, output, failure); null leaves the stored state untouched (messages dropped for an instance that does not exist or has ended).</param>
public sealed record OrchestrationCommit(
    IReadOnlyList<HistoryEvent> NewHistory,
    IReadOnlyList<ActivityRequest> ActivityRequests,
    IReadOnlyList<OrchestrationMessage> OutboundMessages,
    InstanceState? State)
{
    /// <summary>True when the execution continued as new: the stored history is dropped and <see cref="NewHistory"/> becomes the new execution's history.</summary>
    public bool ReplacesHistory { get; init; }

    /// <summary>Ids of the work item's messages that this commit consumed (normally all of them); the backend deletes exactly these, last.</summary>
    public required IReadOnlyList<string> ConsumedMessageIds { get; init; }
}
