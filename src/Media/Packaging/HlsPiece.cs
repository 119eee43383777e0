using System.Text.Json.Serialization;
using Recording.Media.Verification;

namespace Recording.Media.Packaging;

/// <summary>
/// The HLS output of one capture segment, written while the recording goes on (<see cref="IncrementalHlsPackager"/>);
/// plain data, so that it can travel in orchestration state until the playlist is written at the end.
/// </summary>
public sealed record HlsPiece
{
    /// <summary>The capture segment's index; pieces are listed in this order and their files are named after it.</summary>
    public required int Index { get; init; }

    /// <summary>Its HLS media segments (file names in the output folder), in order.</summary>
    public required IReadOnlyList<HlsSegment> Segments { get; init; }

    /// <summary>Where it begins on the VOD's timeline.</summary>
    public required TimeSpan Start { get; init; }

    /// <summary>Its length on the VOD's timeline: the sum of its segments' durations. The next piece starts at <see cref="End"/>.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>The codec parameters it was packaged from (<see cref="StreamSignature.CodecKey"/>); a change asks for #EXT-X-DISCONTINUITY.</summary>
    public required string CodecKey { get; init; }

    /// <summary>Whether its video and audio were copied or re-encoded, and why.</summary>
    public required EncodingDecision Encoding { get; init; }

    [JsonIgnore]
    public TimeSpan End => Start + Duration;
}
