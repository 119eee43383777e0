namespace Recording.Media.Splice.Fragmented;

/// <summary>
/// A segment that cannot be appended to a spliced fragmented MP4 by copying its fragments (other codec parameters, not a
/// fragmented MP4, absolute offsets). Not a failure of the recording: the caller splices the classic way instead.
/// </summary>
public sealed class IncompatibleSegmentException(string segmentPath, string reason)
    : Exception($"{Path.GetFileName(segmentPath)} cannot be appended by copy: {reason}")
{
    public string Reason { get; } = reason;
}
