namespace Recording.Media.Compose;

/// <summary>Where one participant's tile sits in the frame.</summary>
public readonly record struct TileRect(int X, int Y, int Width, int Height);
