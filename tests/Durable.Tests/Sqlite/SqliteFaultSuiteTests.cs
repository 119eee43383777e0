using Recording.Durable.Backends;
using Recording.Durable.Backends.Sqlite;
using Recording.Durable.Tests.Faults;
using Xunit.Abstractions;

namespace Recording.Durable.Tests.Sqlite;

/// <summary>The fault suite on SQLite: every backend object of a round opens the same temporary file, as separate processes would.</summary>
public sealed class SqliteFaultSuiteTests : FaultSuiteTests, IClassFixture<TempDatabase>
{
    private readonly TempDatabase databases;

    public SqliteFaultSuiteTests(TempDatabase databases, ITestOutputHelper output)
        : base(output) => this.databases = databases;

    protected override async Task<Func<ICommitStepListener?, Task<IDurableBackend>>> CreateSharedStoreAsync()
    {
        var path = databases.NewPath();
        await new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = path }).CreateIfNotExistsAsync();
        return listener => Task.FromResult<IDurableBackend>(new SqliteDurableBackend(new SqliteDurableBackendOptions { DatabasePath = path }, listener));
    }
}
