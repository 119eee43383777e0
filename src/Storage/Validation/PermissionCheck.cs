namespace Recording.Storage.Validation;

/// <summary>One permission of a destination ("write", "read", "multipart", "list", "delete") with the provider's error code when it is not ok.</summary>
public sealed record PermissionCheck(string Permission, PermissionStatus Status, string? ErrorCode, string? Detail, TimeSpan Elapsed);
