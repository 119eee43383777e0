using Recording.Functions.Compositions;
using Recording.Functions.Storage;
using Recording.Functions.Templates;

namespace Recording.Functions.Orchestration;

/// <summary>A composition's tracks placed on its timeline, where the composite goes, and who hears of it.</summary>
public sealed record ResolvedComposition(IReadOnlyList<CompositionSource> Sources, AssetTarget Target, NotificationSettings Notifications)
{
    /// <summary>The composition's length: the last leave on its timeline.</summary>
    public double Duration => Sources.Count == 0 ? 0 : Sources.Max(s => s.Track.LeaveAt);
}

/// <summary>A participant's track on the timeline and where its spliced file lies.</summary>
public sealed record CompositionSource(ComposedTrack Track, AssetTarget Recording, string SplicedKey);
