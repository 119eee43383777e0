using Recording.Functions.Templates;
using Recording.Functions.Validation;

namespace Recording.Functions.Recordings;

/// <summary>Turns a start request into a <see cref="RecordingStartCommand"/>, or into errors naming each field and rule.</summary>
public sealed class StartRecordingValidator(ITemplateStore templates, TemplateValidator templateValidator, TimeProvider clock)
{
    public async Task<(RecordingStartCommand? Command, ValidationErrors Errors)> ValidateAsync(StartRecordingRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();

        if (request.Id is not null && !NameRules.IsRecordingId(request.Id))
        {
            errors.Add("id", NameRules.RecordingIdRule);
        }

        if (request.StreamId is not null && !NameRules.IsStreamId(request.StreamId))
        {
            errors.Add("streamId", NameRules.StreamIdRule);
        }

        var sources = ValidateSources(request, errors);
        var (templateName, template) = await ResolveTemplateAsync(request.Template, errors, cancellationToken);

        if (!errors.IsEmpty || template is null)
        {
            return (null, errors);
        }

        var id = request.Id ?? Guid.NewGuid().ToString("N");
        return (new RecordingStartCommand(id, sources, request.StreamId, templateName, template, clock.GetUtcNow()), errors);
    }

    private static List<string> ValidateSources(StartRecordingRequest request, ValidationErrors errors)
    {
        if (request.Source is not null && request.Sources is not null)
        {
            errors.Add("source", "give either source or sources, not both");
            return [];
        }

        if (request.Source is not null)
        {
            if (SourceUrlRule.Check(request.Source) is { } rule)
            {
                errors.Add("source", rule);
            }

            return [request.Source];
        }

        if (request.Sources is null || request.Sources.Count == 0)
        {
            errors.Add("source", "is required: give a live source URL in source, or several in sources");
            return [];
        }

        if (request.Sources.Count > 1)
        {
            // Refused rather than recording the first alone: several sources (a room's tracks) would each need a capture of their
            // own, which a recording does not run yet; one recording per source keeps every track.
            errors.Add("sources", "must list one URL: a recording captures one source, so record each of a room's tracks as a recording of its own");
        }

        for (var i = 0; i < request.Sources.Count; i++)
        {
            if (SourceUrlRule.Check(request.Sources[i]) is { } rule)
            {
                errors.Add($"sources[{i}]", rule);
            }
        }

        return request.Sources;
    }

    private async Task<(string? Name, RecordingTemplate? Template)> ResolveTemplateAsync(TemplateReference? reference, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (reference is null)
        {
            return (null, RecordingTemplate.Default);
        }

        if (reference.Inline is { } inline)
        {
            templateValidator.Validate(inline, "template", errors);
            return (null, inline);
        }

        if (!NameRules.IsTemplateName(reference.Name))
        {
            errors.Add("template", NameRules.TemplateNameRule);
            return (null, null);
        }

        var stored = await templates.GetAsync(reference.Name!, cancellationToken);
        if (stored is null)
        {
            errors.Add("template", $"must name an existing template: there is no template '{reference.Name}'");
        }

        return (reference.Name, stored);
    }
}
