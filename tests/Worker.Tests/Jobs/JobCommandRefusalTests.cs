using System.Text.Json;
using Azure.Storage.Queues;
using Recording.TestSupport;

namespace Recording.Worker.Tests.Jobs;

/// <summary>
/// The `job` command against Azurite with start messages that can never run: each is refused before ffmpeg or the folder is
/// touched, reported as an `exited` event with reason failed naming the field and the rule, and set aside on the poison queue.
/// </summary>
public sealed class JobCommandRefusalTests(JobAzuriteFixture fixture) : IClassFixture<JobAzuriteFixture>
{
    private AzuriteServer Azurite => fixture.Azurite;

    private QueueServiceClient Queues => fixture.Queues;

    [Theory]
    [InlineData("file:///etc/passwd", null, "sourceUrl (scheme-not-allowed)")]
    [InlineData("rtmp://127.0.0.1:1935/live/x", "/etc/recording", "outputDirectory (inside-output-root)")]
    [InlineData("rtmp://127.0.0.1:1935/live/x", "../escape", "outputDirectory (inside-output-root)")]
    [InlineData("rtmp://10.0.0.1/live/x", "ok", "sourceUrl (private-address)")]
    public async Task Job_HostileStartMessage_IsReportedFailedAndSetAside(string source, string? output, string expected)
    {
        var root = Directory.CreateTempSubdirectory("job-root-").FullName;
        var queue = await QueueAsync("start");
        var events = await QueueAsync("events");
        var message = new Dictionary<string, object?>
        {
            ["version"] = 1,
            ["recordingId"] = "rec-hostile",
            ["sourceUrl"] = source,
            ["outputDirectory"] = output ?? Path.Combine(root, "rec"),
            ["format"] = "fmp4",
            ["segmentLength"] = "00:00:05",
            ["allowShortSegments"] = true,
            ["resumeWindow"] = "00:00:10",
            // Asked for, but this job runs without --allow-private-networks: a message cannot grant itself loopback access.
            ["allowPrivateNetworks"] = true,
            ["eventsQueue"] = events.Name,
            ["controlQueue"] = "recording-job-ctl-0123",
        };
        await queue.SendMessageAsync(JsonSerializer.Serialize(message));

        var (exitCode, stdout, stderr) = await RunJobAsync(queue.Name, "--output-root", root);

        Assert.Equal(2, exitCode);
        var exited = WorkerProcess.Events(stdout).Single();
        Assert.Equal("exited", exited.GetProperty("type").GetString());
        Assert.Equal("failed", exited.GetProperty("reason").GetString());
        Assert.StartsWith(expected, exited.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        var reported = (await events.ReceiveMessagesAsync(32)).Value;
        Assert.Single(reported);
        Assert.Contains(expected, reported[0].Body.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(1, (await Queues.GetQueueClient(queue.Name + "-poison").GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public async Task Job_MessageThatIsNotJson_IsSetAsideWithoutEvents()
    {
        var queue = await QueueAsync("start");
        await queue.SendMessageAsync("this is not a start message");

        var (exitCode, stdout, stderr) = await RunJobAsync(queue.Name);

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("message (json)", stderr, StringComparison.Ordinal);
        Assert.Equal(1, (await Queues.GetQueueClient(queue.Name + "-poison").GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Job_NoMessageWithinTheWait_ExitsZero()
    {
        var queue = await QueueAsync("start");

        var (exitCode, stdout, _) = await RunJobAsync(queue.Name);

        Assert.Equal(0, exitCode);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Job_BadConnectionString_IsNamedWithoutEchoingIt()
    {
        var secret = "AccountName=x;AccountKey=c2VjcmV0LWtleS1uZXZlci1wcmludGVk;Garbage";
        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(
            ["job", "--once", "--wait", "1s"], TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = secret });

        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("--queue-connection (connection-string-format)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", stderr, StringComparison.Ordinal);
    }

    private async Task<QueueClient> QueueAsync(string role)
    {
        var queue = Queues.GetQueueClient($"{role}-{Guid.NewGuid():N}"[..20]);
        await queue.CreateAsync();
        return queue;
    }

    private Task<(int ExitCode, string[] Stdout, string Stderr)> RunJobAsync(string startQueue, params string[] extra)
        => WorkerProcess.RunAsync(
            ["job", "--start-queue", startQueue, "--once", "--wait", "2s", "--min-free-disk", "0", .. extra],
            TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = Azurite.ConnectionString });
}

/// <summary>One Azurite for the refusal tests; each test uses queues of its own.</summary>
public sealed class JobAzuriteFixture : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    public QueueServiceClient Queues { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Queues = new QueueServiceClient(Azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
    }

    public async Task DisposeAsync() => await Azurite.DisposeAsync();
}
