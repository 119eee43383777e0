namespace Recording.Media.Jobs;

/// <summary>One verified output file of a media job.</summary>
public sealed record MediaJobFile(string Path, long Bytes, TimeSpan Duration);
