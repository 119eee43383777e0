namespace Recording.Durable.Activities;

/// <summary>What an activity knows about its call: its name, the calling instance, how often it was delivered, and a token cancelled when its lease is lost or the worker stops.</summary>
public sealed record TaskActivityContext(string Name, string InstanceId, int TaskScheduledId, int DequeueCount, CancellationToken CancellationToken);
