using System.Text.Json;

namespace Recording.Functions.Storage;

/// <summary>Where a recording's files go and how their keys are built: the template's destination (absent: the local folder), the recording, its start.</summary>
public sealed record AssetTarget(string RecordingId, string? StreamId, DateTimeOffset StartedAt, JsonElement? Destination);
