namespace Recording.Media.Tests.MediaOpsSupport;

/// <summary>Names the solid colour of a decoded pixel, so a frame's tiles say whose picture they show.</summary>
internal static class TileColour
{
    /// <summary>R, G or B for the tracks' colours, K for black, D for the audio-only tile's dark colour, ? otherwise.</summary>
    public static char Of((byte R, byte G, byte B) p) => p switch
    {
        { R: > 180, G: < 70, B: < 70 } => 'R',
        { R: < 70, G: > 90, B: < 70 } => 'G',
        { R: < 70, G: < 70, B: > 180 } => 'B',
        { R: < 25, G: < 25, B: < 25 } => 'K',
        { R: < 70, G: < 70, B: < 90 } => 'D',
        _ => '?',
    };
}
