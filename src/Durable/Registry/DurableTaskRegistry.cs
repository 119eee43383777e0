using Microsoft.Extensions.DependencyInjection;
using Recording.Durable.Activities;
using Recording.Durable.Orchestrations;

namespace Recording.Durable.Registry;

/// <summary>Orchestrators and activities by name (case-insensitive, as Functions names are); classes are created per call through DI when a service provider is given.</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, Func<IServiceProvider?, ITaskOrchestrator>> orchestrators = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Func<IServiceProvider?, ITaskActivity>> activities = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> OrchestratorNames => orchestrators.Keys;

    public IReadOnlyCollection<string> ActivityNames => activities.Keys;

    /// <summary>Registers orchestrator class <typeparamref name="T"/> under its class name, or <paramref name="name"/>.</summary>
    public DurableTaskRegistry AddOrchestrator<T>(string? name = null)
        where T : class, ITaskOrchestrator =>
        AddOrchestrator(name ?? typeof(T).Name, Create<T>);

    public DurableTaskRegistry AddOrchestrator(string name, Func<IServiceProvider?, ITaskOrchestrator> factory)
    {
        ValidateName(name);
        if (!orchestrators.TryAdd(name, factory))
        {
            throw new ArgumentException($"An orchestrator named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an orchestrator written as a function (handy for small orchestrations and tests).</summary>
    public DurableTaskRegistry AddOrchestratorFunc<TInput, TOutput>(string name, Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) =>
        AddOrchestrator(name, _ => new FuncOrchestrator<TInput, TOutput>(run));

    /// <summary>Registers activity class <typeparamref name="T"/> under its class name, or <paramref name="name"/>.</summary>
    public DurableTaskRegistry AddActivity<T>(string? name = null)
        where T : class, ITaskActivity =>
        AddActivity(name ?? typeof(T).Name, Create<T>);

    public DurableTaskRegistry AddActivity(string name, Func<IServiceProvider?, ITaskActivity> factory)
    {
        ValidateName(name);
        if (!activities.TryAdd(name, factory))
        {
            throw new ArgumentException($"An activity named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    /// <summary>Registers an activity written as a function.</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> run) =>
        AddActivity(name, _ => new FuncActivity<TInput, TOutput>(run));

    internal ITaskOrchestrator? CreateOrchestrator(string name, IServiceProvider? services) =>
        orchestrators.TryGetValue(name, out var factory) ? factory(services) : null;

    internal ITaskActivity? CreateActivity(string name, IServiceProvider? services) =>
        activities.TryGetValue(name, out var factory) ? factory(services) : null;

    private static T Create<T>(IServiceProvider? services)
        where T : class =>
        services is null ? Activator.CreateInstance<T>() : ActivatorUtilities.CreateInstance<T>(services);

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A task name must not be empty.", nameof(name));
        }
    }

    private sealed class FuncOrchestrator<TInput, TOutput>(Func<TaskOrchestrationContext, TInput, Task<TOutput>> run) : TaskOrchestrator<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input) => run(context, input);
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}
