namespace Recording.Functions.Tests;

/// <summary>One running service shared by a test class (starting Kestrel per test would cost seconds for nothing).</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    private RunningService? service;

    public RunningService Service => service ?? throw new InvalidOperationException("The service has not started.");

    public async Task InitializeAsync() => service = await RunningService.StartAsync();

    public async Task DisposeAsync()
    {
        if (service is not null)
        {
            await service.DisposeAsync();
        }
    }
}
