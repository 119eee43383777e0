using Recording.Durable.Orchestrations;

namespace Recording.Durable.Tests.Hosting;

/// <summary>A class-based orchestrator, as apps write them: formats a greeting, then waits for a goodbye.</summary>
public sealed class GreetingOrchestrator : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var greeting = await context.CallActivityAsync<string>(nameof(FormatGreeting), input);
        context.SetCustomStatus("greeted");
        var goodbye = await context.WaitForExternalEvent<string>("goodbye");
        return $"{greeting} ... {goodbye}";
    }
}
