using Recording.Functions.Compositions;
using Recording.Functions.Notifications;
using Recording.Functions.Recordings;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>The composition functions: start a room's composed video from its participants' recordings, list them, read one's status and its notifications, cancel one, delete it.</summary>
public static class CompositionFunctions
{
    public static void MapCompositionFunctions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/compositions", StartAsync)
            .WithName("StartComposition").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Accepts<StartCompositionRequest>("application/json")
            .Produces<CompositionLinks>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        api.MapGet("/compositions", ListAsync)
            .WithName("ListCompositions").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<CompositionPage>()
            .ProducesValidationProblem();

        api.MapGet("/compositions/{id}", GetAsync)
            .WithName("GetComposition").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<CompositionStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/compositions/{id}/notifications", ListNotificationsAsync)
            .WithName("ListCompositionNotifications").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<CompositionDeliveries>();

        api.MapPost("/compositions/{id}/cancel", CancelAsync)
            .WithName("CancelComposition").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<CompositionLinks>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapDelete("/compositions/{id}", DeleteAsync)
            .WithName("DeleteComposition").WithMetadata(new RequiresKey(KeyRole.Admin))
            .Produces<RecordingDeleteResult>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
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

    /// <summary>Compositions by <c>status</c>, <c>from</c>, <c>to</c>, <c>top</c> and continuation token, as recordings are listed.</summary>
    public static async Task<IResult> ListAsync(HttpRequest request, ICompositionService compositions, CancellationToken cancellationToken)
    {
        return await ListQuery.PageAsync(request, query => compositions.ListAsync(query, cancellationToken), page => page.ContinuationToken);
    }

    /// <summary>The delivery log of the composition's events (filed apart from its recordings' events, under <see cref="RecordingEvent.LogKey"/>).</summary>
    public static async Task<IResult> ListNotificationsAsync(string id, IDeliveryLog log, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        return TypedResults.Ok(new CompositionDeliveries(id, await log.ListAsync(RecordingEvent.CompositionLogKey(id), cancellationToken)));
    }

    /// <summary>Stops a composition that has not ended (it may be waiting for its recordings for hours); 409 once it has.</summary>
    public static async Task<IResult> CancelAsync(string id, HttpRequest request, ICompositionService compositions, PublicBaseUrl baseUrl, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        var links = CompositionLinks.For(baseUrl.For(request), id, created: false);
        return await compositions.CancelAsync(id, cancellationToken) switch
        {
            StopOutcome.NotFound => Problems.NotFound($"There is no composition '{id}'."),
            StopOutcome.AlreadyFinished => Problems.Conflict($"Composition '{id}' has already ended."),
            _ => TypedResults.Accepted(links.StatusQueryGetUri, links),
        };
    }

    /// <summary>Purges an ended composition; <c>?deleteAssets=true</c> deletes its composite from the destination too.</summary>
    public static async Task<IResult> DeleteAsync(string id, HttpRequest request, ICompositionService compositions, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        if (!DeleteAssetsFlag.TryRead(request, out var deleteAssets))
        {
            return Problems.Validation(DeleteAssetsFlag.Name, DeleteAssetsFlag.Rule);
        }

        var result = await compositions.DeleteAsync(id, deleteAssets, cancellationToken);
        return result.Outcome switch
        {
            RecordingDeleteOutcome.NotFound => Problems.NotFound($"There is no composition '{id}'."),
            RecordingDeleteOutcome.StillRunning => Problems.Conflict($"Composition '{id}' has not ended: cancel it first (POST /api/compositions/{id}/cancel), or wait until it is composed."),
            RecordingDeleteOutcome.AssetsUnreachable => Problems.Conflict($"The composite of '{id}' went to its first track's recording's destination, and that recording was deleted: delete the composite from the bucket by its key (in the status), then delete the composition without deleteAssets."),
            _ => TypedResults.Ok(result),
        };
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
