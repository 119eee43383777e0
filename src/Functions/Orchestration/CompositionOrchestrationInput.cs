using Recording.Functions.Compositions;
using Recording.Functions.Storage;
using Recording.Functions.Templates;

namespace Recording.Functions.Orchestration;

/// <summary>The input of <see cref="CompositionOrchestrator"/>: the request, each track resolved to its spliced file, and where the composite goes.</summary>
public sealed record CompositionOrchestrationInput
{
    public required CompositionCommand Command { get; init; }

    public required IReadOnlyList<CompositionSource> Sources { get; init; }

    /// <summary>The composite's place in the destination: the first track's recording's destination, keyed by the composition id.</summary>
    public required AssetTarget Target { get; init; }

    /// <summary>Where the tracks are fetched to and the compose job writes, on the file system the media jobs share.</summary>
    public required string WorkFolder { get; init; }

    public required MediaJobLimits MediaJobs { get; init; }

    public int UploadAttempts { get; init; } = 12;

    /// <summary>Who hears the composition's end: the first track's recording's template's webhooks and Event Grid topic.</summary>
    public NotificationSettings Notifications { get; init; } = new();

    /// <summary>The composition's length: the last leave on its timeline.</summary>
    public double Duration => Sources.Count == 0 ? 0 : Sources.Max(s => s.Track.LeaveAt);
}

/// <summary>A participant's track on the timeline and where its spliced file lies.</summary>
public sealed record CompositionSource(ComposedTrack Track, AssetTarget Recording, string SplicedKey);
