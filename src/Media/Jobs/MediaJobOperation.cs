namespace Recording.Media.Jobs;

/// <summary>The post-processing work a media job does: the transcodes too long to run inside an activity.</summary>
public enum MediaJobOperation
{
    /// <summary>A multi-resolution ladder (<see cref="Packaging.LadderPackager"/>): one MP4 and HLS playlist per rung, a master playlist.</summary>
    Ladder,

    /// <summary>A poster, periodic thumbnails, sprite sheets and a WebVTT track (<see cref="Packaging.ThumbnailGenerator"/>).</summary>
    Thumbnails,

    /// <summary>
    /// A capture's segments joined into one file (<see cref="Splice.SegmentSplicer"/>) when their video must be re-encoded (a
    /// source that came back at another resolution or codec mid-recording). The service splices by stream copy itself, in
    /// seconds, and sends only this case here.
    /// </summary>
    Splice,

    /// <summary>
    /// An HLS VOD (<see cref="Packaging.HlsPackager"/>) of a spliced file whose video must be re-encoded to H.264 (an HEVC source,
    /// say). The service packages H.264 by stream copy itself and sends only this case here.
    /// </summary>
    Hls,

    /// <summary>
    /// A composed grid of a room (<see cref="Compose.TimelineCompositor"/>) from its participants' spliced recordings, laid out by
    /// who was present when; the input is the timeline JSON beside the downloaded tracks.
    /// </summary>
    Compose,
}
