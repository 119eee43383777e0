namespace Recording.Media.Verification;

/// <summary>What happened to one kind of stream on its way into an output.</summary>
public enum StreamHandling
{
    /// <summary>The output has no stream of this kind.</summary>
    None,

    /// <summary>Packets copied unchanged (no decode, no quality loss).</summary>
    Copied,

    /// <summary>Decoded and encoded again.</summary>
    ReEncoded,
}
