namespace Recording.Functions.Templates;

/// <summary>Keeps named templates. Names are validated before they reach the store.</summary>
public interface ITemplateStore
{
    /// <summary>Creates or replaces a template; true when it was new.</summary>
    Task<bool> PutAsync(string name, RecordingTemplate template, CancellationToken cancellationToken = default);

    Task<RecordingTemplate?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes a template; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
