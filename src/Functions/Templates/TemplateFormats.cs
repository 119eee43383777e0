namespace Recording.Functions.Templates;

/// <summary>The segment containers a template may ask for.</summary>
public static class TemplateFormats
{
    public const string FragmentedMp4 = "fmp4";
    public const string Mp4 = "mp4";
    public const string Flv = "flv";
    public const string MpegTs = "ts";
    public const string Hls = "hls";
    public const string AudioOnlyM4a = "m4a";

    public static IReadOnlyList<string> All { get; } = [FragmentedMp4, Mp4, Flv, MpegTs, Hls, AudioOnlyM4a];
}
