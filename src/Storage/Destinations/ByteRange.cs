namespace Recording.Storage.Destinations;

/// <summary>An inclusive byte range [First, Last] of an object, as HTTP Range uses it.</summary>
public sealed record ByteRange
{
    public ByteRange(long first, long last)
    {
        if (first < 0 || last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(last), $"range: rule 'first-le-last' - needs 0 <= first <= last (got {first}-{last}).");
        }

        First = first;
        Last = last;
    }

    public long First { get; }

    public long Last { get; }

    public long Length => Last - First + 1;
}
