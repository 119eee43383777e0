namespace Recording.Media.Packaging;

/// <summary>Package a file or a manifest as an HLS VOD (index.m3u8 plus segments) in <paramref name="OutputDirectory"/>.</summary>
public sealed record HlsPackageRequest(string Input, string OutputDirectory, HlsSegmentType SegmentType = HlsSegmentType.Ts)
{
    /// <summary>Wanted segment length; with stream copy segments end on the next keyframe after it.</summary>
    public TimeSpan SegmentDuration { get; init; } = TimeSpan.FromSeconds(6);
}
