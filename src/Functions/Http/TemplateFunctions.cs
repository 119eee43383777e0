using Recording.Functions.Templates;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>The template functions: PUT, GET and DELETE /api/templates/{name}, for admin keys.</summary>
public static class TemplateFunctions
{
    public static void MapTemplateFunctions(this IEndpointRouteBuilder api)
    {
        api.MapPut("/templates/{name}", PutAsync)
            .WithName("PutTemplate").WithMetadata(new RequiresKey(KeyRole.Admin))
            .Accepts<RecordingTemplate>("application/json")
            .Produces<RecordingTemplate>()
            .Produces<RecordingTemplate>(StatusCodes.Status201Created)
            .ProducesValidationProblem();

        api.MapGet("/templates/{name}", GetAsync)
            .WithName("GetTemplate").WithMetadata(new RequiresKey(KeyRole.Admin))
            .Produces<RecordingTemplate>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/templates/{name}", DeleteAsync)
            .WithName("DeleteTemplate").WithMetadata(new RequiresKey(KeyRole.Admin))
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> PutAsync(string name, HttpRequest request, ITemplateStore store, TemplateValidator validator, CancellationToken cancellationToken)
    {
        if (!NameRules.IsTemplateName(name))
        {
            return Problems.Validation("name", NameRules.TemplateNameRule);
        }

        var (template, errors) = await JsonRequestBody.ReadAsync<RecordingTemplate>(request, cancellationToken);
        if (template is null)
        {
            return Problems.Validation(errors);
        }

        validator.Validate(template, "", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }

        // Output-only flags sent back by a client that round-trips a GET are not stored.
        var stored = template with
        {
            Notifications = template.Notifications with
            {
                Webhooks = [.. template.Notifications.Webhooks.Select(hook => hook with { SecretConfigured = false })],
                EventGrid = template.Notifications.EventGrid is { } topic ? topic with { AccessKeyConfigured = false } : null,
            },
        };

        var created = await store.PutAsync(name, stored, cancellationToken);
        var view = TemplateView.Redact(stored);
        return created ? TypedResults.Created($"/api/templates/{Uri.EscapeDataString(name)}", view) : TypedResults.Ok(view);
    }

    public static async Task<IResult> GetAsync(string name, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (!NameRules.IsTemplateName(name))
        {
            return Problems.Validation("name", NameRules.TemplateNameRule);
        }

        var template = await store.GetAsync(name, cancellationToken);
        return template is null ? Problems.NotFound($"There is no template '{name}'.") : TypedResults.Ok(TemplateView.Redact(template));
    }

    public static async Task<IResult> DeleteAsync(string name, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (!NameRules.IsTemplateName(name))
        {
            return Problems.Validation("name", NameRules.TemplateNameRule);
        }

        return await store.DeleteAsync(name, cancellationToken) ? TypedResults.NoContent() : Problems.NotFound($"There is no template '{name}'.");
    }
}
