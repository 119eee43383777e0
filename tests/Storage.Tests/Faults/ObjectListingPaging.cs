using System.Security;
using System.Text.RegularExpressions;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// For <see cref="FaultInjectingProxy"/>: ListObjectsV2 in small pages, so that a handful of objects takes several, and
/// optionally paged wrongly, as a broken store might. s3rver pages for real; the proxy asks it for
/// <see cref="PageSize"/> keys a page (s3rver does not check signatures, so the query can change on the way).
/// </summary>
public sealed partial class ObjectListingPaging
{
    public enum Fault
    {
        None,

        /// <summary>A truncated page names no next continuation token.</summary>
        NoNextToken,

        /// <summary>A truncated page asked for with a token names that same token as the next one.</summary>
        SameTokenAgain,
    }

    public int PageSize { get; init; } = 2;

    public Fault Paging { get; init; }

    /// <summary>The request's path and query with max-keys set to <see cref="PageSize"/>.</summary>
    public string Forwarded(string rawUrl)
    {
        var question = rawUrl.IndexOf('?', StringComparison.Ordinal);
        var parameters = question < 0 ? [] : rawUrl[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries);
        var kept = parameters.Where(p => !p.StartsWith("max-keys=", StringComparison.Ordinal)).Append($"max-keys={PageSize}");
        return $"{(question < 0 ? rawUrl : rawUrl[..question])}?{string.Join('&', kept)}";
    }

    /// <summary>The store's answer, paged wrongly when <see cref="Paging"/> says so.</summary>
    public string Answer(string xml, string? requestToken) => Paging switch
    {
        Fault.NoNextToken => NextToken().Replace(xml, string.Empty),
        Fault.SameTokenAgain when requestToken is not null
            => NextToken().Replace(xml, $"<NextContinuationToken>{SecurityElement.Escape(requestToken)}</NextContinuationToken>"),
        _ => xml,
    };

    [GeneratedRegex("<NextContinuationToken>[^<]*</NextContinuationToken>", RegexOptions.CultureInvariant)]
    private static partial Regex NextToken();
}
