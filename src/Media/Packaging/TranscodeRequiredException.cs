namespace Recording.Media.Packaging;

/// <summary>
/// An input whose video would have to be re-encoded, refused by a packager that only copies video (<see cref="IncrementalHlsPackager"/>).
/// Not a failure of the recording: the caller sends the work to a media job instead.
/// </summary>
public sealed class TranscodeRequiredException(string inputPath, string reason)
    : Exception($"{Path.GetFileName(inputPath)} would have to be re-encoded: {reason}")
{
    public string Reason { get; } = reason;
}
