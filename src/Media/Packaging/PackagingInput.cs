using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Splice;
using Recording.Media.Validation;

namespace Recording.Media.Packaging;

/// <summary>Turns the --input of a packaging job (a media file, or a manifest / its folder) into one local media file.</summary>
internal static class PackagingInput
{
    /// <summary>Returns the file to package; a manifest is spliced (by copy where it can be) into <paramref name="scratch"/> first.</summary>
    public static async Task<string> ResolveAsync(string? input, string scratch, FfmpegOptions? ffmpeg, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            throw new MediaInputException("input", "must be a media file or a manifest");
        }

        var isManifest = Directory.Exists(input) || Path.GetFileName(input).Equals(SegmentManifest.FileName, StringComparison.OrdinalIgnoreCase);
        if (isManifest)
        {
            var spliced = Path.Combine(scratch, "spliced.mp4");
            await new SegmentSplicer(ffmpeg, new SpliceOptions { WorkingDirectory = scratch }).SpliceAsync(new SpliceRequest(input, spliced), cancellationToken);
            return spliced;
        }

        if (!File.Exists(input))
        {
            throw new MediaInputException("input", $"file '{input}' does not exist");
        }

        return Path.GetFullPath(input);
    }

    public static string PrepareOutputDirectory(string? output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            throw new MediaInputException("output", "must be a folder path");
        }

        if (File.Exists(output))
        {
            throw new MediaInputException("output", "must be a folder, not an existing file");
        }

        Directory.CreateDirectory(output);
        return Path.GetFullPath(output);
    }
}
