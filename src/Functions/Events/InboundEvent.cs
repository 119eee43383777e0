using System.Text.Json;

namespace Recording.Functions.Events;

/// <summary>One event of a delivery to the events endpoint, whichever schema it came in: its place in the batch, id, type and data.</summary>
public sealed record InboundEvent(int Position, string Id, string Type, JsonElement Data);
