using System.Text.Json;

namespace Recording.Functions.Templates;

/// <summary>How to record: container format, segmenting, limits, post-processing, where the files go and who is told.</summary>
public sealed record RecordingTemplate
{
    public string? Description { get; init; }

    /// <summary>Segment container: fmp4 (default, playable after a crash), mp4, flv, ts, hls or m4a (audio only).</summary>
    public string Format { get; init; } = TemplateFormats.FragmentedMp4;

    /// <summary>Length of each segment file: 1 to 120 minutes.</summary>
    public TimeSpan SegmentLength { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a lost source may stay away and the recording still resume (breakpoint resumption): 0 to 1800 s.</summary>
    public TimeSpan ResumeWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The recording stops itself after this long.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Heights of the ladder rungs (240, 480, 720, 1080) made when post-processing asks for a ladder.</summary>
    public List<int> Renditions { get; init; } = [];

    /// <summary>Time between thumbnails when post-processing asks for thumbnails.</summary>
    public TimeSpan ThumbnailInterval { get; init; } = TimeSpan.FromSeconds(60);

    public PostProcessing PostProcessing { get; init; } = new();

    /// <summary>Where assets go: a reference (<c>{"ref":"name"}</c>) or inline settings; opaque here, validated by the storage layer. Absent: the local folder.</summary>
    public JsonElement? Destination { get; init; }

    public NotificationSettings Notifications { get; init; } = new();

    public static RecordingTemplate Default { get; } = new();
}
