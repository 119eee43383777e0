namespace Recording.Durable.Orchestrations;

/// <summary>Base class of orchestrators: deterministic code that calls activities, timers, events and sub-orchestrations through the context.</summary>
/// <remarks>Orchestrator code is replayed from history: it must not do I/O, read the clock, create GUIDs or await anything but the context's tasks
/// (use <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, <see cref="TaskOrchestrationContext.NewGuid"/> and activities instead).</remarks>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    Type ITaskOrchestrator.InputType => typeof(TInput);

    Type ITaskOrchestrator.OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) => await RunAsync(context, (TInput)input!);
}
