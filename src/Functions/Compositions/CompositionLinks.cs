namespace Recording.Functions.Compositions;

/// <summary>What a start answers: where to poll. It never carries a key.</summary>
public sealed record CompositionLinks(string Id, bool Created, Uri StatusQueryGetUri)
{
    public static CompositionLinks For(Uri baseUrl, string id, bool created) =>
        new(id, created, new Uri(baseUrl, $"api/compositions/{Uri.EscapeDataString(id)}"));
}
