namespace Recording.Functions.Http;

/// <summary>The problem+json <c>type</c> URIs this API answers with, one per kind of failure a client handles differently.</summary>
public static class ProblemTypes
{
    public const string Validation = "urn:recording:problem:validation";
    public const string Unauthorized = "urn:recording:problem:unauthorized";
    public const string Forbidden = "urn:recording:problem:forbidden";
    public const string NotFound = "urn:recording:problem:not-found";
    public const string Conflict = "urn:recording:problem:conflict";
    public const string Unavailable = "urn:recording:problem:unavailable";
    public const string Internal = "urn:recording:problem:internal";
}
