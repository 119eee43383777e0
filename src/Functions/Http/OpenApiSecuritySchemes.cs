using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Recording.Functions.Http;

/// <summary>Describes function keys (header or query) in the OpenAPI document and names the API.</summary>
public sealed class OpenApiSecuritySchemes : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Recording service",
            Version = "v1",
            Description = "Records live sources into your own bucket. Send a function key in the x-functions-key header or the code query parameter.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["functionKeyHeader"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = FunctionKeyMiddleware.HeaderName,
        };
        document.Components.SecuritySchemes["functionKeyQuery"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = FunctionKeyMiddleware.QueryName,
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("functionKeyHeader", document)] = [] });
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("functionKeyQuery", document)] = [] });
        return Task.CompletedTask;
    }
}
