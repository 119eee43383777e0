using System.Text.Json;
using Microsoft.Extensions.Options;
using Recording.Durable.Backends.AzureStorage;
using Recording.Functions.Engine;
using Recording.Functions.Hosting;
using Recording.Functions.Notifications;
using Recording.Functions.Serialization;
using Recording.Functions.Templates;
using Recording.TestSupport;

namespace Recording.Functions.Tests.State;

/// <summary>
/// The service's own state (templates, the notification delivery log) behaves the same in its two homes: the local SQLite file,
/// and Azure Storage tables beside the engine's task hub (on Azurite), which any number of instances can share.
/// </summary>
public sealed class ServiceStateStoresTests(ServiceStateStoresTests.AzuriteTables azurite) : IClassFixture<ServiceStateStoresTests.AzuriteTables>
{
    public static TheoryData<string> Homes => ["sqlite", "tables"];

    [Theory]
    [MemberData(nameof(Homes))]
    public async Task Templates_PutTellsNewFromReplaced_GetReturnsWhatWasPut_DeleteTellsWhetherOneWasThere(string home)
    {
        var store = TemplateStore(home);
        var first = new RecordingTemplate { Description = "first", SegmentLength = TimeSpan.FromMinutes(5), Renditions = [240, 720] };
        var second = first with { Description = "second", Renditions = [480] };

        Assert.True(await store.PutAsync("studio-a", first));
        Assert.Equal(Json(first), Json(await store.GetAsync("studio-a")));
        Assert.False(await store.PutAsync("studio-a", second));
        Assert.Equal(Json(second), Json(await store.GetAsync("studio-a")));
        Assert.Null(await store.GetAsync("Studio-A"));
        Assert.True(await store.DeleteAsync("studio-a"));
        Assert.False(await store.DeleteAsync("studio-a"));
        Assert.Null(await store.GetAsync("studio-a"));
    }

    [Theory]
    [MemberData(nameof(Homes))]
    public async Task Templates_TwoConcurrentPutsOfANewName_ExactlyOneSaysCreated(string home)
    {
        var store = TemplateStore(home);
        var template = new RecordingTemplate { Description = "raced" };

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.PutAsync("raced", template)));

        Assert.Single(created, c => c);
    }

    [Theory]
    [MemberData(nameof(Homes))]
    public async Task DeliveryLog_ListsOneRecordingsAttemptsOldestFirst_WithEveryFieldAsWritten(string home)
    {
        var log = DeliveryLog(home);
        var at = new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero);
        DeliveryAttempt[] attempts =
        [
            new("rec-1", "rec-1-1", "recording.started", 1, "https://hooks.example.org/a", 1, DeliveryOutcome.Retrying, 503, "503 Service Unavailable", TimeSpan.FromMilliseconds(120), at),
            new("composition:room-1", "composition-room-1-1", "composition.completed", 1, "https://hooks.example.org/a", 1, DeliveryOutcome.Delivered, 204, null, TimeSpan.FromMilliseconds(30), at.AddSeconds(1)),
            new("rec-1", "rec-1-1", "recording.started", 1, "https://hooks.example.org/a", 2, DeliveryOutcome.Failed, null, "timed out", TimeSpan.FromSeconds(10), at.AddSeconds(2)),
            new("rec-1", "rec-1-2", "recording.completed", 2, "https://hooks.example.org/a", 1, DeliveryOutcome.Delivered, 200, null, TimeSpan.FromMilliseconds(45), at.AddSeconds(3)),
        ];
        foreach (var attempt in attempts)
        {
            await log.AppendAsync(attempt);
        }

        Assert.Equal([attempts[0], attempts[2], attempts[3]], await log.ListAsync("rec-1"));
        Assert.Equal([attempts[1]], await log.ListAsync("composition:room-1"));
        Assert.Empty(await log.ListAsync("rec-2"));
    }

    private ITemplateStore TemplateStore(string home) => home == "sqlite"
        ? new SqliteTemplateStore(NewSqlite(), TimeProvider.System)
        : new TableTemplateStore(azurite.NewTables());

    private IDeliveryLog DeliveryLog(string home) => home == "sqlite" ? new SqliteDeliveryLog(NewSqlite()) : new TableDeliveryLog(azurite.NewTables());

    private static SqliteDatabase NewSqlite()
        => new(Options.Create(new LocalDataOptions { DataDirectory = Directory.CreateTempSubdirectory("state-stores-").FullName }));

    private static string Json(RecordingTemplate? template) => JsonSerializer.Serialize(template, ApiJson.Options);

    /// <summary>One Azurite for the class; each test gets tables of a task hub of its own.</summary>
    public sealed class AzuriteTables : IAsyncLifetime
    {
        private AzuriteServer? server;

        public ServiceTables NewTables() => new(new AzureStorageBackendOptions
        {
            ConnectionString = server!.ConnectionString,
            TaskHubName = "state" + Guid.NewGuid().ToString("N")[..10],
        });

        public async Task InitializeAsync() => server = await AzuriteServer.StartAsync();

        public async Task DisposeAsync()
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }
}
