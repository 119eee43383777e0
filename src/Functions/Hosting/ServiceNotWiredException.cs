namespace Recording.Functions.Hosting;

/// <summary>Thrown by a placeholder when a part of the service (the orchestration, the storage layer) is not configured in this build; answered as 503.</summary>
public sealed class ServiceNotWiredException(string what) : Exception($"{what} is not available in this deployment.");
