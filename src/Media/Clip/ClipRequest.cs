namespace Recording.Media.Clip;

/// <summary>Cut [From, To) out of a manifest's spliced timeline (gaps closed) without re-encoding.</summary>
public sealed record ClipRequest(string Manifest, TimeSpan From, TimeSpan To, string OutputPath);
