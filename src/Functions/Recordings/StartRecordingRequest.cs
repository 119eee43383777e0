namespace Recording.Functions.Recordings;

/// <summary>The body of <c>POST /api/recordings</c>.</summary>
public sealed record StartRecordingRequest
{
    /// <summary>Optional recording id (also the orchestration instance id); the same id twice gives one recording.</summary>
    public string? Id { get; init; }

    /// <summary>The live source URL.</summary>
    public string? Source { get; init; }

    /// <summary>The same as <see cref="Source"/>, as a list of one: several sources in one recording (a room's tracks) are refused, not yet recorded.</summary>
    public List<string>? Sources { get; init; }

    /// <summary>A stored template's name or an inline template; absent: the default template.</summary>
    public TemplateReference? Template { get; init; }

    /// <summary>The caller's stream or room id, carried in every event.</summary>
    public string? StreamId { get; init; }
}
