namespace Recording.Functions.Http;

/// <summary>Checks function keys the way Azure Functions does (x-functions-key header or code query): 401 without a valid key, 403 for a key without the right.</summary>
public sealed class FunctionKeyMiddleware(RequestDelegate next, FunctionKeyRing keyRing)
{
    public const string HeaderName = "x-functions-key";
    public const string QueryName = "code";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context);
            return;
        }

        // Endpoints that say nothing need the admin right: a function forgotten in the mapping fails closed.
        var metadata = endpoint.Metadata.GetMetadata<RequiresKey>();
        var required = metadata is null ? KeyRole.Admin : metadata.Role;
        if (required is null)
        {
            await next(context);
            return;
        }

        string? presented = context.Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented))
        {
            presented = context.Request.Query[QueryName];
        }

        var role = string.IsNullOrEmpty(presented) ? null : keyRing.RoleOf(presented);
        if (role is null)
        {
            await Problems.Unauthorized().ExecuteAsync(context);
            return;
        }

        if (role < required)
        {
            await Problems.Forbidden(required.Value).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
