using Recording.Durable.Backends;
using Recording.Durable.Backends.Sqlite;
using Recording.Durable.Tests.Conformance;

namespace Recording.Durable.Tests.Sqlite;

/// <summary>The conformance suite on the SQLite backend, each test on its own database file.</summary>
public sealed class SqliteConformanceTests : BackendConformanceTests, IClassFixture<TempDatabase>
{
    private readonly TempDatabase databases;

    public SqliteConformanceTests(TempDatabase databases) => this.databases = databases;

    protected override async Task<IDurableBackend> CreateBackendAsync(ICommitStepListener? listener = null)
    {
        var backend = new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = databases.NewPath() }, listener);
        await backend.CreateIfNotExistsAsync();
        return backend;
    }

    protected override int CachedHistories(IDurableBackend backend) => ((SqliteDurableBackend)backend).CachedHistories;

    protected override async Task<Func<ICommitStepListener?, Task<IDurableBackend>>> CreateSharedStoreAsync()
    {
        var path = databases.NewPath();
        await new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = path }).CreateIfNotExistsAsync();
        return listener => Task.FromResult<IDurableBackend>(new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = path }, listener));
    }
}
