using System.Globalization;
using Recording.Functions.Notifications;
using Recording.Functions.Recordings;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>The recording functions: start, status, list, stop and delete. Each is one HTTP route, as one Azure Functions function.</summary>
public static class RecordingFunctions
{
    public static void MapRecordingFunctions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/recordings", StartAsync)
            .WithName("StartRecording").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Accepts<StartRecordingRequest>("application/json")
            .Produces<RecordingManagementLinks>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();

        api.MapGet("/recordings", ListAsync)
            .WithName("ListRecordings").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<RecordingPage>()
            .ProducesValidationProblem();

        api.MapGet("/recordings/{id}", GetAsync)
            .WithName("GetRecording").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<RecordingStatus>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/recordings/{id}", DeleteAsync)
            .WithName("DeleteRecording").WithMetadata(new RequiresKey(KeyRole.Admin))
            .Produces<RecordingDeleteResult>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/recordings/{id}/stop", StopAsync)
            .WithName("StopRecording").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<RecordingManagementLinks>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/recordings/{id}/notifications", ListNotificationsAsync)
            .WithName("ListRecordingNotifications").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<NotificationDeliveries>();
    }

    public static async Task<IResult> ListNotificationsAsync(string id, IDeliveryLog log, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        return TypedResults.Ok(new NotificationDeliveries(id, await log.ListAsync(id, cancellationToken)));
    }

    public static async Task<IResult> StartAsync(HttpRequest request, StartRecordingValidator validator, IRecordingService recordings, PublicBaseUrl baseUrl, CancellationToken cancellationToken)
    {
        var (body, errors) = await JsonRequestBody.ReadAsync<StartRecordingRequest>(request, cancellationToken);
        if (body is null)
        {
            return Problems.Validation(errors);
        }

        var (command, validation) = await validator.ValidateAsync(body, cancellationToken);
        if (command is null)
        {
            return Problems.Validation(validation);
        }

        var started = await recordings.StartAsync(command, cancellationToken);
        var links = RecordingManagementLinks.For(baseUrl.For(request), started.Id, started.Created);
        return TypedResults.Accepted(links.StatusQueryGetUri, links);
    }

    public static async Task<IResult> GetAsync(string id, IRecordingService recordings, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        var status = await recordings.GetAsync(id, cancellationToken);
        return status is null ? Problems.NotFound($"There is no recording '{id}'.") : TypedResults.Ok(status);
    }

    public static async Task<IResult> ListAsync(HttpRequest request, IRecordingService recordings, CancellationToken cancellationToken)
    {
        return await ListQuery.PageAsync(request, query => recordings.ListAsync(query, cancellationToken), page => page.ContinuationToken);
    }

    public static async Task<IResult> StopAsync(string id, HttpRequest request, IRecordingService recordings, PublicBaseUrl baseUrl, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        if (!TryParseStopMode(request.Query["mode"], out var mode))
        {
            return Problems.Validation("mode", StopModeRule);
        }

        return await recordings.StopAsync(id, mode, cancellationToken) switch
        {
            StopOutcome.NotFound => Problems.NotFound($"There is no recording '{id}'."),
            StopOutcome.AlreadyFinished => Problems.Conflict($"Recording '{id}' has already finished."),
            _ => TypedResults.Accepted(RecordingManagementLinks.For(baseUrl.For(request), id, created: false).StatusQueryGetUri, RecordingManagementLinks.For(baseUrl.For(request), id, created: false)),
        };
    }

    public static async Task<IResult> DeleteAsync(string id, HttpRequest request, IRecordingService recordings, CancellationToken cancellationToken)
    {
        if (!NameRules.IsRecordingId(id))
        {
            return Problems.Validation("id", NameRules.RecordingIdRule);
        }

        if (!DeleteAssetsFlag.TryRead(request, out var deleteAssets))
        {
            return Problems.Validation(DeleteAssetsFlag.Name, DeleteAssetsFlag.Rule);
        }

        var result = await recordings.DeleteAsync(id, deleteAssets, cancellationToken);
        return result.Outcome switch
        {
            RecordingDeleteOutcome.NotFound => Problems.NotFound($"There is no recording '{id}'."),
            RecordingDeleteOutcome.StillRunning => Problems.Conflict($"Recording '{id}' is still running: stop it (or terminate it) first."),
            _ => TypedResults.Ok(result),
        };
    }

    internal const string StopModeRule = "must be graceful or terminate";

    /// <summary>A stop mode by name (graceful when absent); numbers, which Enum.TryParse would take, are refused.</summary>
    internal static bool TryParseStopMode(string? text, out StopMode mode)
    {
        mode = StopMode.Graceful;
        return string.IsNullOrEmpty(text) || (Enum.TryParse(text, ignoreCase: true, out mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _));
    }
}
