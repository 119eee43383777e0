using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Recording.Functions.Recordings;
using Recording.Functions.Serialization;

namespace Recording.Functions.Http;

/// <summary>Describes the types whose JSON our converters shape: durations as strings, and a template as a name or an inline object.</summary>
public sealed class OpenApiSchemaShapes : IOpenApiSchemaTransformer
{
    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(TimeSpan) || type == typeof(TimeSpan?))
        {
            schema.Type = JsonSchemaType.String;
            schema.Format = "duration";
            schema.Description = "A duration: \"hh:mm:ss\" (as answered) or ISO 8601 such as \"PT10M\" (" + DurationJsonConverter.Rule + ").";
            schema.Pattern = null;
        }
        else if (type == typeof(TemplateReference))
        {
            schema.Type = null;
            schema.Properties?.Clear();
            schema.Description = "The name of a stored template (string) or an inline template (object with the fields of RecordingTemplate).";
            schema.OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$" },
                await context.GetOrCreateSchemaAsync(typeof(Templates.RecordingTemplate), null, cancellationToken),
            ];
        }
    }
}
