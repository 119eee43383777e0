using Recording.Functions.Compositions;
using Recording.Functions.Recordings;

namespace Recording.Functions.Hosting;

/// <summary>The placeholder registered until the durable orchestration provides <see cref="ICompositionService"/>: every call answers 503.</summary>
public sealed class UnwiredCompositionService : ICompositionService
{
    private const string What = "The composition orchestration";

    public Task<CompositionStartResult> StartAsync(CompositionCommand command, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<CompositionStatus?> GetAsync(string id, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<CompositionPage> ListAsync(RecordingQuery query, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<StopOutcome> CancelAsync(string id, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);

    public Task<RecordingDeleteResult> DeleteAsync(string id, bool deleteAssets, CancellationToken cancellationToken = default) => throw new ServiceNotWiredException(What);
}
