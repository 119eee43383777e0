namespace Recording.Durable.Activities;

/// <summary>An activity as the engine sees it: untyped input and output. Derive from <see cref="TaskActivity{TInput, TOutput}"/> instead.</summary>
public interface ITaskActivity
{
    Type InputType { get; }

    Type OutputType { get; }

    Task<object?> RunAsync(TaskActivityContext context, object? input);
}
