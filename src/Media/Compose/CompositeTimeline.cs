using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recording.Media.Compose;

/// <summary>One participant's track in a composite timeline: a file (video, or audio only) present from JoinAt to LeaveAt, played from Offset.</summary>
public sealed record TimelineTrack
{
    /// <summary>Path relative to the timeline's folder.</summary>
    public string File { get; init; } = string.Empty;

    public string Participant { get; init; } = string.Empty;

    public string Role { get; init; } = string.Empty;

    /// <summary>Seconds from the start of the composite when the participant appears; the file's first frame plays then.</summary>
    public double JoinAt { get; init; }

    public double LeaveAt { get; init; }

    /// <summary>
    /// Seconds into the file where this presence starts: a participant whose recording has a gap (their source dropped and came
    /// back) is several presences of one file, each from its own offset.
    /// </summary>
    public double Offset { get; init; }
}

/// <summary>The timeline JSON a compose job reads: tracks and, optionally, the composite's total duration (else the last leaveAt).</summary>
public sealed record CompositeTimeline
{
    public double? Duration { get; init; }

    public IReadOnlyList<TimelineTrack> Tracks { get; init; } = [];

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<CompositeTimeline> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new Validation.MediaInputException("timeline", $"file '{path}' does not exist");
        }

        try
        {
            await using var stream = System.IO.File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<CompositeTimeline>(stream, JsonOptions, cancellationToken)
                ?? throw new Validation.MediaInputException("timeline", "must be a JSON object with tracks");
        }
        catch (JsonException ex)
        {
            throw new Validation.MediaInputException("timeline", $"must be valid timeline JSON ({ex.Message})");
        }
    }
}
