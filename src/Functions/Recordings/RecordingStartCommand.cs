using Recording.Functions.Templates;

namespace Recording.Functions.Recordings;

/// <summary>A validated request to start a recording, with its template resolved: what the orchestration is scheduled with.</summary>
public sealed record RecordingStartCommand(
    string Id,
    IReadOnlyList<string> Sources,
    string? StreamId,
    string? TemplateName,
    RecordingTemplate Template,
    DateTimeOffset RequestedAt);
