namespace Recording.Functions.Events;

/// <summary>What the service did with one delivered event: started, already-started, stop-requested, not-found, already-finished, refused or ignored.</summary>
public sealed record EventOutcome(string EventId, string Type, string? RecordingId, string Outcome)
{
    /// <summary>The composition a <c>Composition.Start</c> started (or found started).</summary>
    public string? CompositionId { get; init; }

    /// <summary>Why a composition was refused: each track's field and rule.</summary>
    public string? Detail { get; init; }
}

/// <summary>The answer to a delivery: one outcome per event, in the delivery's order.</summary>
public sealed record EventOutcomes(IReadOnlyList<EventOutcome> Events);

/// <summary>The answer to Event Grid's subscription validation event, which proves the endpoint wants the subscription.</summary>
public sealed record SubscriptionValidationResponse(string ValidationResponse);
