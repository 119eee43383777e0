using Recording.Media.Manifest;

namespace Recording.Media.Capture;

/// <summary>How a capture ended, with the final manifest (also on disk as manifest.json).</summary>
public sealed record CaptureResult(string Reason, SegmentManifest Manifest);
