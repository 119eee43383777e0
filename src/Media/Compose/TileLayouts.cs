namespace Recording.Media.Compose;

/// <summary>Computes tile rectangles for a number of participants; tiles have even sizes and never leave the frame.</summary>
public static class TileLayouts
{
    /// <summary>Rectangles for <paramref name="count"/> participants; the first is the speaker for the speaker and single layouts.</summary>
    public static IReadOnlyList<TileRect> For(CompositeLayout layout, int count, CompositeSize size)
    {
        if (count == 0)
        {
            return [];
        }

        return layout switch
        {
            CompositeLayout.Single => [new TileRect(0, 0, size.Width, size.Height)],
            CompositeLayout.Speaker when count > 1 => Speaker(count, size),
            CompositeLayout.Speaker => [new TileRect(0, 0, size.Width, size.Height)],
            _ => Grid(count, size),
        };
    }

    private static List<TileRect> Grid(int count, CompositeSize size)
    {
        var longSide = (int)Math.Ceiling(Math.Sqrt(count));
        var shortSide = (int)Math.Ceiling((double)count / longSide);
        var (columns, rows) = size.IsPortrait ? (shortSide, longSide) : (longSide, shortSide);
        var width = Even(size.Width / columns);
        var height = Even(size.Height / rows);
        var top = Offset((size.Height - (rows * height)) / 2);
        var tiles = new List<TileRect>();
        for (var i = 0; i < count; i++)
        {
            var row = i / columns;
            var inRow = Math.Min(columns, count - (row * columns));
            var left = Offset((size.Width - (inRow * width)) / 2);
            tiles.Add(new TileRect(left + (i % columns * width), top + (row * height), width, height));
        }

        return tiles;
    }

    private static List<TileRect> Speaker(int count, CompositeSize size)
    {
        var others = count - 1;
        if (size.IsPortrait)
        {
            var mainHeight = Even(size.Height * 3 / 4);
            var stripHeight = Even(size.Height - mainHeight);
            var width = Even(size.Width / others);
            var left = Offset((size.Width - (others * width)) / 2);
            return [new TileRect(0, 0, size.Width, mainHeight), .. Enumerable.Range(0, others).Select(i => new TileRect(left + (i * width), mainHeight, width, stripHeight))];
        }

        var mainWidth = Even(size.Width * 3 / 4);
        var stripWidth = Even(size.Width - mainWidth);
        var height = Even(size.Height / others);
        var top = Offset((size.Height - (others * height)) / 2);
        return [new TileRect(0, 0, mainWidth, size.Height), .. Enumerable.Range(0, others).Select(i => new TileRect(mainWidth, top + (i * height), stripWidth, height))];
    }

    private static int Even(int value) => Math.Max(2, value / 2 * 2);

    /// <summary>Offsets are even too (chroma subsampling) but may be zero.</summary>
    private static int Offset(int value) => Math.Max(0, value / 2 * 2);
}
