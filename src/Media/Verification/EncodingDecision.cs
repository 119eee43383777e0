namespace Recording.Media.Verification;

/// <summary>How an output's video and audio were produced, and why; reported so a user knows when quality or time was spent.</summary>
public sealed record EncodingDecision(StreamHandling Video, StreamHandling Audio, string Reason)
{
    public bool IsCopy => Video != StreamHandling.ReEncoded && Audio != StreamHandling.ReEncoded;

    public static EncodingDecision Copy(bool video, bool audio, string reason)
        => new(video ? StreamHandling.Copied : StreamHandling.None, audio ? StreamHandling.Copied : StreamHandling.None, reason);

    public static EncodingDecision Encode(bool video, bool audio, string reason)
        => new(video ? StreamHandling.ReEncoded : StreamHandling.None, audio ? StreamHandling.ReEncoded : StreamHandling.None, reason);
}
