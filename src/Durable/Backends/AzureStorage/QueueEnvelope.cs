using System.Text.Json.Serialization;

namespace Recording.Durable.Backends.AzureStorage;

/// <summary>What travels in a queue message: the engine's message (or a blob reference when it is large) and what the backend needs to route, time and fence it.</summary>
/// <param name="InstanceId">The instance the message is for (also readable when the body is in a blob).</param>
/// <param name="Body">JSON of an <see cref="OrchestrationMessage"/> (control queues) or <see cref="ActivityRequest"/> (work-item queue); null when in a blob.</param>
/// <param name="BodyBlob">Blob holding the body when it was over the payload threshold.</param>
/// <param name="SentAt">When it was sent, to order an instance's messages (queue insertion times have only second precision).</param>
/// <param name="Order">Position among the messages sent together, to keep their order when SentAt ties.</param>
/// <param name="VisibleAt">Not to be delivered before this time (timers, scheduled starts); a message that arrives early is re-sent with the remaining delay.</param>
/// <param name="EpisodeToken">
/// Lock token of the episode that sent it, copied into the answer (activity result, timer). An answer whose token differs from
/// the one stored on its TaskScheduled/TimerCreated row comes from an episode whose commit lost to another worker, and is dropped.
/// </param>
internal sealed record QueueEnvelope(
    [property: JsonPropertyName("i")] string InstanceId,
    [property: JsonPropertyName("b")] string? Body,
    [property: JsonPropertyName("bb")] string? BodyBlob,
    [property: JsonPropertyName("s")] DateTimeOffset SentAt,
    [property: JsonPropertyName("o")] int Order,
    [property: JsonPropertyName("v")] DateTimeOffset? VisibleAt,
    [property: JsonPropertyName("t")] string? EpisodeToken);
