using Recording.Media.Packaging;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Write and upload the playlist of the HLS VOD whose <paramref name="Pieces"/> were packaged (and uploaded) while recording.</summary>
public sealed record FinishHlsInput(PostProcessInput Work, IReadOnlyList<HlsPiece> Pieces, string OutputDirectory);
