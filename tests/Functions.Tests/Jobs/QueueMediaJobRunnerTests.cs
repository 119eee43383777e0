using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Recording.Functions.Jobs;
using Recording.Media.Jobs;
using Recording.Media.Manifest;

namespace Recording.Functions.Tests.Jobs;

/// <summary>The queue media job runner on Azurite: one message per job in the worker's wire format, then the queue supervises and the result file answers.</summary>
public sealed class QueueMediaJobRunnerTests
{
    [Fact]
    public async Task Ensure_SendsOneMessagePerJob_ThenReportsRunning_ThenTheResultFromTheFile_AndSendsANewAttemptAnew()
    {
        await using var rig = await QueueJobRig.StartAsync();
        var runner = new QueueMediaJobRunner(Microsoft.Extensions.Options.Options.Create(rig.Options), NullLogger<QueueMediaJobRunner>.Instance);
        var folder = Directory.CreateTempSubdirectory("queue-media-job-").FullName;
        var request = new MediaJobRequest
        {
            JobId = "rec-q:ladder",
            Operation = MediaJobOperation.Ladder,
            Input = Path.Combine(folder, "spliced.mp4"),
            OutputDirectory = Path.Combine(folder, "renditions"),
            Rungs = [240, 720],
        };
        var order = new MediaJobOrder("rec-q", request);

        Assert.Equal(MediaJobState.NotRunning, (await runner.EnsureAsync(order with { MayStart = false })).State);
        Assert.Equal(MediaJobState.Started, (await runner.EnsureAsync(order)).State);
        Assert.Equal(MediaJobState.Running, (await runner.EnsureAsync(order)).State);

        var queue = rig.Queues.GetQueueClient(rig.Options.MediaQueueName);
        var message = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        var sent = JsonSerializer.Deserialize<MediaJobRequest>(message.Body.ToString(), ManifestJson.Options)!;
        Assert.Equal((request.JobId, request.Operation, request.Input, request.OutputDirectory), (sent.JobId, sent.Operation, sent.Input, sent.OutputDirectory));
        Assert.Equal(request.Rungs, sent.Rungs);
        Assert.Equal(MediaJobRequest.CurrentVersion, sent.Version);

        await MediaJobResultFile.WriteAsync(request, MediaJobResult.Failed(request.JobId, "input: must be the absolute path of an existing file"));
        var finished = await runner.EnsureAsync(order);
        Assert.Equal(MediaJobState.Finished, finished.State);
        Assert.Equal("input: must be the absolute path of an existing file", finished.Result!.Error);

        // A new attempt at the same output (after a retryable failure) is a new job: sent anew, not taken for the old one.
        var retry = order with { Request = request with { JobId = "rec-q:ladder#2" } };
        Assert.Equal(MediaJobState.Started, (await runner.EnsureAsync(retry)).State);
        Assert.Equal(MediaJobState.Running, (await runner.EnsureAsync(retry)).State);
        var again = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        Assert.Equal("rec-q:ladder#2", JsonSerializer.Deserialize<MediaJobRequest>(again.Body.ToString(), ManifestJson.Options)!.JobId);
    }
}
