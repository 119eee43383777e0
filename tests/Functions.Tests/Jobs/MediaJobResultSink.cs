using System.Collections.Concurrent;
using Recording.Functions.Jobs;
using Recording.Media.Jobs;

namespace Recording.Functions.Tests.Jobs;

/// <summary>Keeps every media job result a runner publishes, in order.</summary>
internal sealed class MediaJobResultSink : IMediaJobEventSink
{
    private readonly ConcurrentQueue<(string RecordingId, MediaJobOperation Operation, MediaJobResult Result)> published = new();

    public IReadOnlyList<(string RecordingId, MediaJobOperation Operation, MediaJobResult Result)> Published => [.. published];

    public Task PublishAsync(string recordingId, MediaJobOperation operation, MediaJobResult result, CancellationToken cancellationToken = default)
    {
        published.Enqueue((recordingId, operation, result));
        return Task.CompletedTask;
    }
}
