namespace Recording.Functions.Compositions;

/// <summary>
/// The body of <c>POST /api/compositions</c>: a room's composed video, made after the fact from its participants' finished
/// recordings (one recording per participant track), laid out by who was present when.
/// </summary>
public sealed record StartCompositionRequest
{
    /// <summary>Optional composition id; the same id twice gives one composition.</summary>
    public string? Id { get; init; }

    /// <summary>The participants, each one recording (finished, or waited for); tiles go in the order they joined (the order listed among those who joined together).</summary>
    public List<CompositionTrackRequest?>? Tracks { get; init; }

    /// <summary>grid (default), speaker or single.</summary>
    public string? Layout { get; init; }

    /// <summary>WIDTHxHEIGHT (default 1280x720); portrait sizes give portrait layouts.</summary>
    public string? Size { get; init; }

    /// <summary>Only the participants with one of these roles are shown and heard; absent: everyone.</summary>
    public List<string?>? Roles { get; init; }

    /// <summary>Draws each participant's name on their tile.</summary>
    public bool? NameLabels { get; init; }
}
