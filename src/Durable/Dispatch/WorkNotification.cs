namespace Recording.Durable.Dispatch;

/// <summary>A delivered queue message telling a push-mode worker that work of <see cref="Kind"/> is waiting (for <see cref="InstanceId"/> if known).</summary>
/// <remarks>The backend stays the source of truth: the worker locks and commits through it, so a lost, repeated or late notification is harmless.</remarks>
public sealed record WorkNotification(WorkItemKind Kind, string? InstanceId = null);
