using Recording.Functions.Compositions;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>The composition functions: start a room's composed video from its participants' recordings, and read its status.</summary>
public static class CompositionFunctions
{
    public static void MapCompositionFunctions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/compositions", StartAsync)
            .WithName("StartComposition").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Accepts<StartCompositionRequest>("application/json")
            .Produces<CompositionLinks>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        api.MapGet("/compositions/{id}", GetAsync)
            .WithName("GetComposition").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<CompositionStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<IResult> StartAsync(HttpRequest request, StartCompositionValidator validator, ICompositionService compositions, PublicBaseUrl baseUrl, CancellationToken cancellationToken)
    {
        var (body, errors) = await JsonRequestBody.ReadAsync<StartCompositionRequest>(request, cancellationToken);
        if (body is null)
        {
            return Problems.Validation(errors);
        }

        var (command, validation) = validator.Validate(body);
        if (command is null)
        {
            return Problems.Validation(validation);
        }

        var started = await compositions.StartAsync(command, cancellationToken);
        if (started.Errors is { IsEmpty: false } refused)
        {
            return Problems.Validation(refused);
        }

        var links = CompositionLinks.For(baseUrl.For(request), started.Id, started.Created);
        return TypedResults.Accepted(links.StatusQueryGetUri, links);
    }

    public static async Task<IResult> GetAsync(string id, ICompositionService compositions, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        var status = await compositions.GetAsync(id, cancellationToken);
        return status is null ? Problems.NotFound($"There is no composition '{id}'.") : TypedResults.Ok(status);
    }
}
