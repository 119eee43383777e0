using System.Globalization;
using Recording.Functions.Recordings;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>
/// The query of a list (<c>GET /api/recordings</c>, <c>GET /api/compositions</c>): <c>status</c> (comma-separated runtime
/// statuses), <c>from</c>/<c>to</c> (creation time), <c>top</c> (page size) and the continuation token (query or header, as
/// Durable Functions' instance query takes it).
/// </summary>
public static class ListQuery
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const string ContinuationHeader = "x-ms-continuation-token";

    private const string TokenField = "continuationToken";
    private const string TokenRule = "must be a token returned by a previous page";

    /// <summary>Lists a page, answering 400 for a token the store did not hand out (a length check cannot see that).</summary>
    public static async Task<IResult> PageAsync<TPage>(HttpRequest request, Func<RecordingQuery, Task<TPage>> list, Func<TPage, string?> continuation)
        where TPage : notnull
    {
        var (query, errors) = Parse(request);
        if (query is null)
        {
            return Problems.Validation(errors);
        }

        TPage page;
        try
        {
            page = await list(query);
        }
        catch (Recording.Durable.Backends.InvalidContinuationTokenException)
        {
            return Problems.Validation(TokenField, TokenRule);
        }

        SetContinuation(request, continuation(page));
        return TypedResults.Ok(page);
    }

    public static (RecordingQuery? Query, ValidationErrors Errors) Parse(HttpRequest request)
    {
        var errors = new ValidationErrors();
        var query = request.Query;

        var statuses = new List<RecordingRuntimeStatus>();
        foreach (var value in query["status"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (Enum.TryParse<RecordingRuntimeStatus>(value, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(value, out _))
            {
                statuses.Add(status);
            }
            else
            {
                errors.Add("status", "must be one or more of " + string.Join(", ", Enum.GetNames<RecordingRuntimeStatus>()) + ", separated by commas");
                break;
            }
        }

        var from = ParseTime(query["from"], "from", errors);
        var to = ParseTime(query["to"], "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors.Add("to", "must not be before from");
        }

        var pageSize = DefaultPageSize;
        if (query.TryGetValue("top", out var top) && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxPageSize))
        {
            errors.Add("top", $"must be a whole number between 1 and {MaxPageSize}");
        }

        string? token = query["continuationToken"];
        if (string.IsNullOrEmpty(token))
        {
            token = request.Headers[ContinuationHeader];
        }

        if (token is { Length: > 4096 })
        {
            errors.Add(TokenField, TokenRule);
        }

        return errors.IsEmpty ? (new RecordingQuery(statuses, from, to, pageSize, string.IsNullOrEmpty(token) ? null : token), errors) : (null, errors);
    }

    /// <summary>Repeats the next page's token in the response header, where Durable Functions' clients look for it.</summary>
    public static void SetContinuation(HttpRequest request, string? continuationToken)
    {
        if (continuationToken is not null)
        {
            request.HttpContext.Response.Headers[ContinuationHeader] = continuationToken;
        }
    }

    private static DateTimeOffset? ParseTime(string? text, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        errors.Add(field, "must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z");
        return null;
    }
}
