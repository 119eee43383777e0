using Azure.Data.Tables;
using Azure.Storage.Queues;
using Recording.Functions.Jobs;
using Recording.Functions.Tests.Jobs;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// The main end-to-end run on the Azure parts, with Azurite standing in for the storage account: the durable engine on its
/// Azure Storage backend (queues, tables, blobs) and capture as the queue-driven job, the worker's <c>job</c> command serving
/// the job-start queue as the Container Apps job does, and its <c>media-job</c> command serving the media queue, on the folder the service shares with it (an Azure Files mount in Azure).
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class AzureEndToEndTests(ITestOutputHelper output)
{
    private const string TaskHub = "recording";

    [Fact]
    public async Task StartRecordStop_OnTheAzureStorageEngineAndQueueJob_DeliversSegmentsSplicedHlsAndLadder_AndSignedEvents()
    {
        await using var azurite = await AzuriteServer.StartAsync();
        await using var rig = await RecordingRig.StartAsync();
        var queueOptions = new QueueCaptureJobOptions { ConnectionString = azurite.ConnectionString };
        var queues = queueOptions.CreateServiceClient();
        // Created here so that the job's first poll finds it; the service creates it too, with its first start.
        await queues.GetQueueClient(queueOptions.StartQueueName).CreateIfNotExistsAsync();
        var recordings = Directory.CreateDirectory(Path.Combine(rig.DataDirectory, "recordings")).FullName;
        await using var job = ManagedProcess.Start(
            "dotnet",
            [QueueJobRig.WorkerDll, "job", "--start-queue", queueOptions.StartQueueName, "--output-root", recordings, "--allow-private-networks",
             "--visibility-timeout", "30s", "--min-free-disk", "0"],
            environment: new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.ConnectionString });
        // The media job (ladder, thumbnails) as its Container Apps job runs it: the worker's media-job serving the media queue.
        await queues.GetQueueClient(queueOptions.MediaQueueName).CreateIfNotExistsAsync();
        await using var mediaJob = ManagedProcess.Start(
            "dotnet",
            [QueueJobRig.WorkerDll, "media-job", "--queue", queueOptions.MediaQueueName, "--output-root", recordings, "--visibility-timeout", "30s"],
            environment: new Dictionary<string, string> { ["RECORDING_QUEUE_CONNECTION"] = azurite.ConnectionString });
        await using var service = await ServiceProcess.StartAsync(
            rig.DataDirectory,
            "Recording:Orchestration:ContinueAsNewAfterSegments=2",
            "Recording:Engine:Backend=azureStorage",
            $"Recording:Engine:AzureStorageConnectionString={azurite.ConnectionString}",
            $"Recording:Engine:TaskHubName={TaskHub}",
            $"Recording:Jobs:Queue:ConnectionString={azurite.ConnectionString}",
            // Far past the test's deadline: the media jobs' ends must arrive as replies on the events queue, not by a check.
            "Recording:Orchestration:MediaJobCheckInterval=00:30:00");
        using var client = service.Client();
        const string id = "e2e-azure";

        try
        {
            var status = await RecordingAssertions.StartRecordAndStopAsync(rig, client, id);
            await RecordingAssertions.DeliveredAsync(rig, id, status);
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail() + "\njob:\n" + job.Tail(80) + "\nmedia job:\n" + mediaJob.Tail(40));
            throw;
        }

        // It ran on the Azure parts: the orchestration lives in the task hub's tables, and nothing was written to a SQLite engine
        // file (the SQLite backend writes its schema the moment it opens one).
        var instance = await new TableServiceClient(azurite.ConnectionString).GetTableClient(TaskHub + "Instances").GetEntityAsync<TableEntity>(id, "");
        Assert.Equal("Completed", instance.Value.GetString("RuntimeStatus"));
        var sqliteEngine = new FileInfo(Path.Combine(rig.DataDirectory, "engine.db"));
        Assert.Equal(0, sqliteEngine.Exists ? sqliteEngine.Length : 0);

        // So did the service's own state: the webhook deliveries are logged in the task hub's Deliveries table, and the API reads them there.
        var logged = new List<TableEntity>();
        await foreach (var row in new TableServiceClient(azurite.ConnectionString).GetTableClient(TaskHub + "Deliveries").QueryAsync<TableEntity>(r => r.PartitionKey == id))
        {
            logged.Add(row);
        }

        Assert.Contains(logged, row => row.GetString("EventType") == "recording.completed" && row.GetString("Outcome") == "Delivered");
        using (var deliveries = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync($"api/recordings/{id}/notifications")))
        {
            Assert.Equal(logged.Count, deliveries.RootElement.GetProperty("deliveries").GetArrayLength());
        }

        // The job captured this recording, then cleared up after itself: start message deleted (only after its exited event was
        // sent), control queue removed, nothing set aside as poison.
        Assert.Contains(job.Lines, line => line.Contains("segment-ready", StringComparison.Ordinal) && line.Contains(id, StringComparison.Ordinal));
        await Eventually.UntilAsync(async () => await MessagesAsync(queues, queueOptions.StartQueueName) == 0, TimeSpan.FromSeconds(30), "the start message to be deleted");
        await Eventually.UntilAsync(async () => !await AnyQueueAsync(queues, queueOptions.ControlQueuePrefix), TimeSpan.FromSeconds(30), "the control queue to be removed");
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.StartQueueName + "-poison"));
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.PoisonQueueName));
        // The ladder and the thumbnails ran in the media job, whose messages are gone once their results were written.
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.MediaQueueName));
        Assert.Equal(0, await MessagesAsync(queues, queueOptions.MediaQueueName + "-poison"));
        Assert.Contains($"{id}:ladder", mediaJob.Transcript, StringComparison.Ordinal);
        Assert.Contains($"{id}:thumbnails", mediaJob.Transcript, StringComparison.Ordinal);

        // The connection string carries the account key: neither process may print it.
        Assert.DoesNotContain(AzuriteServer.AccountKey, service.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, job.Transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteServer.AccountKey, mediaJob.Transcript, StringComparison.Ordinal);
    }

    /// <summary>Messages on a queue, visible or not; a queue that does not exist holds none.</summary>
    private static async Task<int> MessagesAsync(QueueServiceClient queues, string name)
    {
        var queue = queues.GetQueueClient(name);
        return await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
    }

    private static async Task<bool> AnyQueueAsync(QueueServiceClient queues, string prefix)
    {
        await foreach (var _ in queues.GetQueuesAsync(prefix: prefix))
        {
            return true;
        }

        return false;
    }
}
