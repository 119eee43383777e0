namespace Recording.Durable.Orchestrations;

/// <summary>An orchestrator as the engine sees it: untyped input and output. Derive from <see cref="TaskOrchestrator{TInput, TOutput}"/> instead.</summary>
public interface ITaskOrchestrator
{
    Type InputType { get; }

    Type OutputType { get; }

    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}
