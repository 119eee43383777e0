using Recording.Durable.Backends;
using Recording.Durable.Instances;
using Recording.Functions.Recordings;

namespace Recording.Functions.Orchestration;

/// <summary>A list request of the API as the engine's instance query, for the instances of one orchestrator.</summary>
public static class InstanceQueries
{
    public static InstanceQuery For(RecordingQuery query, string orchestratorName) => new()
    {
        Statuses = query.Statuses.Count == 0 ? null : query.Statuses.Select(s => Enum.Parse<OrchestrationRuntimeStatus>(s.ToString())).ToList(),
        CreatedFrom = query.CreatedFrom,
        CreatedTo = query.CreatedTo,
        PageSize = query.PageSize,
        ContinuationToken = query.ContinuationToken,
        NamePrefix = orchestratorName,
    };
}
