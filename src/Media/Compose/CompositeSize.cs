using System.Globalization;
using Recording.Media.Validation;

namespace Recording.Media.Compose;

/// <summary>The output frame size: even sides, at most 1920x1080 in pixels and 1920 on the long side (portrait 1080x1920 allowed).</summary>
public readonly record struct CompositeSize(int Width, int Height)
{
    public const int MaxPixels = 1920 * 1080;

    public bool IsPortrait => Height > Width;

    public static CompositeSize Parse(string? text)
    {
        var parts = text?.Trim().ToLowerInvariant().Split('x');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            throw new MediaInputException("size", $"must be WIDTHxHEIGHT such as 1280x720 (got '{text}')");
        }

        return Validate(new CompositeSize(width, height));
    }

    public static CompositeSize Validate(CompositeSize size)
    {
        if (size.Width < 64 || size.Height < 64)
        {
            throw new MediaInputException("size", "must be at least 64x64");
        }

        if (size.Width % 2 != 0 || size.Height % 2 != 0)
        {
            throw new MediaInputException("size", $"must have even width and height (got {size})");
        }

        if ((long)size.Width * size.Height > MaxPixels || Math.Max(size.Width, size.Height) > 1920)
        {
            throw new MediaInputException("size", $"must not exceed 1920x1080 (got {size})");
        }

        return size;
    }

    public override string ToString() => $"{Width}x{Height}";
}
