namespace Recording.Durable.Activities;

/// <summary>Base class of activities: the units of real work (I/O, clocks, side effects) that orchestrators call.</summary>
/// <remarks>Activities run at least once: a worker that crashes after the work but before its result is committed leaves the
/// work item to run again elsewhere. Make them idempotent (same input, same effect when repeated).</remarks>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    Type ITaskActivity.InputType => typeof(TInput);

    Type ITaskActivity.OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) => await RunAsync(context, (TInput)input!);
}
