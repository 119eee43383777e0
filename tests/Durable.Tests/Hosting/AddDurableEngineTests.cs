using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recording.Durable.Client;
using Recording.Durable.Hosting;
using Recording.Durable.Instances;
using Recording.Durable.Tests.Sqlite;
using Recording.TestSupport;

namespace Recording.Durable.Tests.Hosting;

public sealed class AddDurableEngineTests : IClassFixture<TempDatabase>
{
    private readonly TempDatabase databases;

    public AddDurableEngineTests(TempDatabase databases) => this.databases = databases;

    [Fact]
    public async Task ClassBasedTasksInAHost_RunWithInjectedDependencies_AndSurviveAHostRestart()
    {
        var path = databases.NewPath();
        string id;
        using (var first = BuildHost(path))
        {
            await first.StartAsync();
            var client = first.Services.GetRequiredService<DurableTaskClient>();
            id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(GreetingOrchestrator), "Ann");
            await Eventually.UntilAsync(async () => (await client.GetInstanceAsync(id))?.SerializedCustomStatus is not null, TimeSpan.FromSeconds(10), "the greeting", TimeSpan.FromMilliseconds(10));
            await first.StopAsync();
        }

        // A new process on the same file carries on where the first stopped.
        using var second = BuildHost(path);
        await second.StartAsync();
        var secondClient = second.Services.GetRequiredService<DurableTaskClient>();
        await secondClient.RaiseEventAsync(id, "goodbye", "bye Ann");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var done = await secondClient.WaitForInstanceCompletionAsync(id, deadline.Token);
        await second.StopAsync();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("Hi Ann ... bye Ann", done.ReadOutputAs<string>());
    }

    [Fact]
    public void AddDurableEngine_WithoutBackend_FailsNamingTheSetting()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddDurableEngine(engine => engine.AddOrchestrator<GreetingOrchestrator>()));
        Assert.Contains("UseSqlite", error.Message, StringComparison.Ordinal);

        var badOptions = Assert.Throws<ArgumentException>(() => services.AddDurableEngine(engine => engine.UseSqlite().ConfigureWorker(o => o.MaxConcurrentActivities = 0)));
        Assert.Contains("MaxConcurrentActivities", badOptions.Message, StringComparison.Ordinal);
    }

    private static IHost BuildHost(string path)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(new GreetingFormat("Hi "));
        builder.Services.AddDurableEngine(engine => engine
            .UseSqlite(options => options.DatabasePath = path)
            .AddOrchestrator<GreetingOrchestrator>()
            .AddActivity<FormatGreeting>()
            .ConfigureWorker(options => options.MaxPollingInterval = TimeSpan.FromMilliseconds(100)));
        return builder.Build();
    }
}
