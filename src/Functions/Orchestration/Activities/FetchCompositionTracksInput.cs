namespace Recording.Functions.Orchestration.Activities;

/// <summary>The tracks to fetch and the folder they go to.</summary>
public sealed record FetchCompositionTracksInput(IReadOnlyList<CompositionSource> Sources, string WorkFolder);
