using Recording.Durable.Activities;

namespace Recording.Durable.Tests.Hosting;

/// <summary>A class-based activity with a constructor-injected dependency.</summary>
public sealed class FormatGreeting(GreetingFormat format) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(format.Prefix + input);
}

/// <summary>The dependency that DI gives <see cref="FormatGreeting"/>.</summary>
public sealed record GreetingFormat(string Prefix);
