namespace Recording.Functions.Http;

/// <summary>Endpoint metadata: the right a function key needs to call this function. Null role means anonymous.</summary>
public sealed record RequiresKey(KeyRole? Role)
{
    public static RequiresKey Anonymous { get; } = new((KeyRole?)null);
}
