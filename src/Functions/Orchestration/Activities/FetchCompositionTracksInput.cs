namespace Recording.Functions.Orchestration.Activities;

/// <summary>The tracks to fetch, the folder they go to, and the composition's length for its timeline.</summary>
public sealed record FetchCompositionTracksInput(IReadOnlyList<CompositionSource> Sources, string WorkFolder, double Duration);
