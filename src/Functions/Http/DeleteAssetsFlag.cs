namespace Recording.Functions.Http;

/// <summary>The <c>?deleteAssets=</c> flag of a DELETE (a recording's, a composition's): absent is false.</summary>
public static class DeleteAssetsFlag
{
    public const string Name = "deleteAssets";
    public const string Rule = "must be true or false";

    /// <summary>False when the flag is there but is neither true nor false.</summary>
    public static bool TryRead(HttpRequest request, out bool deleteAssets)
    {
        deleteAssets = false;
        return !request.Query.TryGetValue(Name, out var flag) || bool.TryParse(flag, out deleteAssets);
    }
}
