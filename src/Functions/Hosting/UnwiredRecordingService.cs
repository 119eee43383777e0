using Recording.Functions.Recordings;

namespace Recording.Functions.Hosting;

/// <summary>The placeholder registered until the durable orchestration provides <see cref="IRecordingService"/>: every call answers 503.</summary>
public sealed class UnwiredRecordingService : IRecordingService
{
    private const string What = "The recording orchestration";

    public Task<RecordingStartResult> StartAsync(RecordingStartCommand command, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<RecordingStatus?> GetAsync(string id, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<RecordingPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<StopOutcome> StopAsync(string id, StopMode mode, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);
}
