namespace Recording.Functions.Compositions;

/// <summary>What the HTTP functions need from the composition orchestration.</summary>
public interface ICompositionService
{
    /// <summary>
    /// Resolves each participant's recording (it must have completed with a spliced file) and schedules the composition;
    /// idempotent on the id.
    /// </summary>
    Task<CompositionStartResult> StartAsync(CompositionCommand command, CancellationToken cancellationToken = default);

    Task<CompositionStatus?> GetAsync(string id, CancellationToken cancellationToken = default);
}
