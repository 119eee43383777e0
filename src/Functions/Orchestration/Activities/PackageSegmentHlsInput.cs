using Recording.Functions.Storage;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>Package segment <paramref name="Index"/> as the HLS VOD's next piece, beginning at <paramref name="Start"/> on its timeline, in <paramref name="OutputDirectory"/>.</summary>
public sealed record PackageSegmentHlsInput(AssetTarget Target, string SegmentPath, int Index, TimeSpan Start, string OutputDirectory);
