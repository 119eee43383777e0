namespace Recording.Storage.Assembly;

/// <summary>The joined object: its size, how it was made, and what was checked (<see cref="Verification"/>).</summary>
public sealed record ConcatenationResult(string Key, long Bytes, int SourceCount, ConcatenationMethod Method, string Verification, string? FallbackReason);
