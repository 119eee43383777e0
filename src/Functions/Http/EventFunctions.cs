using Recording.Functions.Compositions;
using Recording.Functions.Events;
using Recording.Functions.Recordings;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>
/// The events endpoint: an Event Grid subscription (Event Grid schema or CloudEvents 1.0) delivers <c>Recording.Start</c>,
/// <c>Recording.Stop</c> and <c>Composition.Start</c> events here, with the function key in the endpoint URL's <c>code</c>; each does
/// what the HTTP start, stop or composition start does. A delivery is checked whole before anything is done: a bad event answers 400, which Event Grid does not retry.
/// </summary>
public static class EventFunctions
{
    public const string RequestOriginHeader = "WebHook-Request-Origin";

    public static void MapEventFunctions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/events", ReceiveAsync)
            .WithName("ReceiveEvents").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces<EventOutcomes>()
            .Produces<SubscriptionValidationResponse>()
            .ProducesValidationProblem();

        api.MapMethods("/events", [HttpMethods.Options], ValidateCloudEventsSubscription)
            .WithName("ValidateEventSubscription").WithMetadata(new RequiresKey(KeyRole.Recorder))
            .Produces(StatusCodes.Status200OK)
            .ProducesValidationProblem();
    }

    /// <summary>The CloudEvents 1.0 webhook handshake (abuse protection) that Event Grid makes before it delivers CloudEvents: allow the origin that asks.</summary>
    public static IResult ValidateCloudEventsSubscription(HttpRequest request)
    {
        string? origin = request.Headers[RequestOriginHeader];
        if (string.IsNullOrWhiteSpace(origin))
        {
            return Problems.Validation(RequestOriginHeader, "is required: the CloudEvents webhook validation request names the sender's origin");
        }

        request.HttpContext.Response.Headers["WebHook-Allowed-Origin"] = origin;
        request.HttpContext.Response.Headers["WebHook-Allowed-Rate"] = "*";
        return TypedResults.Ok();
    }

    public static async Task<IResult> ReceiveAsync(
        HttpRequest request, StartRecordingValidator validator, StartCompositionValidator compositionValidator, IRecordingService recordings, ICompositionService compositions, EarlyStops earlyStops, CancellationToken cancellationToken)
    {
        var (document, errors) = await JsonRequestBody.ReadDocumentAsync(request, cancellationToken);
        if (document is null)
        {
            return Problems.Validation(errors);
        }

        EventDelivery? delivery;
        using (document)
        {
            delivery = EventDelivery.Parse(document.RootElement, errors);
        }

        if (delivery is null)
        {
            return Problems.Validation(errors);
        }

        if (delivery.ValidationCode is { } code)
        {
            return TypedResults.Ok(new SubscriptionValidationResponse(code));
        }

        var actions = new List<EventAction>();
        foreach (var inbound in delivery.Events)
        {
            var field = $"events[{inbound.Position}]";
            switch (inbound.Type)
            {
                case RecordingCommandEventTypes.Start:
                    actions.Add(new EventAction(inbound) { Start = await StartCommandAsync(inbound, field, validator, errors, cancellationToken) });
                    break;
                case RecordingCommandEventTypes.Stop:
                    actions.Add(new EventAction(inbound) { Stop = StopCommand(inbound, field, errors) });
                    break;
                case RecordingCommandEventTypes.Compose:
                    actions.Add(new EventAction(inbound) { Compose = ComposeCommand(inbound, field, compositionValidator, errors) });
                    break;
                default:
                    actions.Add(new EventAction(inbound));
                    break;
            }
        }

        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }

        var outcomes = new List<EventOutcome>();
        foreach (var action in actions)
        {
            outcomes.Add(await action.RunAsync(recordings, compositions, earlyStops, cancellationToken));
        }

        return TypedResults.Ok(new EventOutcomes(outcomes));
    }

    /// <summary>What one valid event asks for: a start, a stop, a composition, or (none of them) nothing.</summary>
    private sealed record EventAction(InboundEvent Event)
    {
        public RecordingStartCommand? Start { get; init; }

        public (string Id, StopMode Mode)? Stop { get; init; }

        public CompositionCommand? Compose { get; init; }

        public async Task<EventOutcome> RunAsync(IRecordingService recordings, ICompositionService compositions, EarlyStops earlyStops, CancellationToken cancellationToken)
        {
            if (Compose is not null)
            {
                // A refusal is an answer, not a failure: the recordings it names are unknown or failed, and a retry would find the same.
                var composed = await compositions.StartAsync(Compose, cancellationToken);
                var refused = composed.Errors is { IsEmpty: false } errors
                    ? string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value.Select(rule => $"{e.Key}: {rule}")))
                    : null;
                return new EventOutcome(Event.Id, Event.Type, null, refused is not null ? "refused" : composed.Created ? "started" : "already-started")
                {
                    CompositionId = composed.Id,
                    Detail = refused,
                };
            }

            if (Start is not null)
            {
                if (earlyStops.Holds(Start.Id) && await recordings.GetAsync(Start.Id, cancellationToken) is null)
                {
                    // Its stop came first (Event Grid does not keep order): the recording it asks for is already over.
                    return new EventOutcome(Event.Id, Event.Type, Start.Id, "stopped-before-start");
                }

                var started = await recordings.StartAsync(Start, cancellationToken);
                return new EventOutcome(Event.Id, Event.Type, started.Id, started.Created ? "started" : "already-started");
            }

            if (Stop is { } stop)
            {
                var outcome = await recordings.StopAsync(stop.Id, stop.Mode, cancellationToken);
                if (outcome == StopOutcome.NotFound)
                {
                    // Nothing to stop yet: answered, not failed (a retry would find the same), and remembered for a start that
                    // may still be on its way.
                    await earlyStops.RememberAsync(stop.Id, cancellationToken);
                    return new EventOutcome(Event.Id, Event.Type, stop.Id, "not-found");
                }

                return new EventOutcome(Event.Id, Event.Type, stop.Id, outcome == StopOutcome.AlreadyFinished ? "already-finished" : "stop-requested");
            }

            return new EventOutcome(Event.Id, Event.Type, null, "ignored");
        }
    }

    private static async Task<RecordingStartCommand?> StartCommandAsync(InboundEvent inbound, string field, StartRecordingValidator validator, ValidationErrors errors, CancellationToken cancellationToken)
    {
        var body = JsonRequestBody.Deserialize<StartRecordingRequest>(inbound.Data, errors, field + ".data");
        if (body is null || TakeEventIdUnlessGiven(body.Id, inbound, field, errors) is not { } id)
        {
            return null;
        }

        var (command, validation) = await validator.ValidateAsync(body with { Id = id }, cancellationToken);
        AddUnder(field + ".data", validation, errors);
        return command;
    }

    private static CompositionCommand? ComposeCommand(InboundEvent inbound, string field, StartCompositionValidator validator, ValidationErrors errors)
    {
        var body = JsonRequestBody.Deserialize<StartCompositionRequest>(inbound.Data, errors, field + ".data");
        if (body is null || TakeEventIdUnlessGiven(body.Id, inbound, field, errors) is not { } id)
        {
            return null;
        }

        var (command, validation) = validator.Validate(body with { Id = id });
        AddUnder(field + ".data", validation, errors);
        return command;
    }

    /// <summary>
    /// The id the data gives, else the event's: Event Grid delivers at least once, and a redelivery with the same id starts
    /// nothing new. Null (and an error) when the event's id cannot be one.
    /// </summary>
    private static string? TakeEventIdUnlessGiven(string? given, InboundEvent inbound, string field, ValidationErrors errors)
    {
        if (given is not null)
        {
            return given;
        }

        if (!NameRules.IsRecordingId(inbound.Id))
        {
            errors.Add(field + ".id", $"{NameRules.RecordingIdRule}, to be the id of what it starts when data.id is absent");
            return null;
        }

        return inbound.Id;
    }

    /// <summary>A body's validation errors, named where they are in the delivery (<c>events[2].data.tracks</c>).</summary>
    private static void AddUnder(string prefix, ValidationErrors validation, ValidationErrors errors)
    {
        foreach (var (name, rules) in validation.ToDictionary())
        {
            foreach (var rule in rules)
            {
                errors.Add(ValidationErrors.Join(prefix, name), rule);
            }
        }
    }

    private static (string Id, StopMode Mode)? StopCommand(InboundEvent inbound, string field, ValidationErrors errors)
    {
        var data = JsonRequestBody.Deserialize<StopRecordingEventData>(inbound.Data, errors, field + ".data");
        if (data is null)
        {
            return null;
        }

        if (!NameRules.IsRecordingId(data.Id))
        {
            errors.Add(field + ".data.id", NameRules.RecordingIdRule);
            return null;
        }

        if (!RecordingFunctions.TryParseStopMode(data.Mode, out var mode))
        {
            errors.Add(field + ".data.mode", RecordingFunctions.StopModeRule);
            return null;
        }

        return (data.Id!, mode);
    }
}
