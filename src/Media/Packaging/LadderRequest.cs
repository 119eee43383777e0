namespace Recording.Media.Packaging;

/// <summary>How the renditions of a ladder are encoded.</summary>
public enum LadderProcessMode
{
    /// <summary>One ffmpeg: one decode, a cascade of scales, one x264 per rung and one AAC for all. The default and the fast way.</summary>
    OneProcess,

    /// <summary>One ffmpeg per rung, each decoding the source and encoding the audio again (for comparison in bench/Media).</summary>
    ProcessPerRung,
}

/// <summary>Encode a ladder of renditions (one MP4 and one HLS media playlist each) plus a master playlist.</summary>
public sealed record LadderRequest(string Input, string OutputDirectory)
{
    /// <summary>The rungs when none are asked for: 240p, 480p, 720p and 1080p.</summary>
    public static readonly IReadOnlyList<int> DefaultRungs = [240, 480, 720, 1080];

    /// <summary>Short sides of the rungs wanted; those above the source's short side are skipped (never upscale).</summary>
    public IReadOnlyList<int> Rungs { get; init; } = DefaultRungs;

    /// <summary>Bitrates per rung; a rung not listed here gets <see cref="LadderRung.For"/>.</summary>
    public IReadOnlyList<LadderRung> Bitrates { get; init; } = LadderRung.Defaults;

    /// <summary>AAC-LC stereo bitrate of the one audio encode that every rung carries.</summary>
    public int AudioKbps { get; init; } = 128;

    public TimeSpan SegmentDuration { get; init; } = TimeSpan.FromSeconds(6);

    public HlsSegmentType SegmentType { get; init; } = HlsSegmentType.Ts;

    public string X264Preset { get; init; } = "veryfast";

    public LadderProcessMode Mode { get; init; } = LadderProcessMode.OneProcess;
}
