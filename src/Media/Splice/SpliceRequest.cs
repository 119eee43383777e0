namespace Recording.Media.Splice;

/// <summary>Join the segments of a manifest into one file.</summary>
/// <param name="Manifest">manifest.json or the folder that holds it.</param>
/// <param name="OutputPath">The file to write; its extension picks the container (.mp4 gets faststart).</param>
public sealed record SpliceRequest(string Manifest, string OutputPath, GapPolicy Gaps = GapPolicy.Cut);
