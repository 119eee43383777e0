namespace Recording.Durable.Backends;

/// <summary>An <see cref="InstanceQuery.ContinuationToken"/> that the backend did not hand out: a caller's error, not the store's.</summary>
public sealed class InvalidContinuationTokenException(Exception? inner = null)
    : ArgumentException("InstanceQuery.ContinuationToken is not a token this backend returned for a previous page.", "ContinuationToken", inner);
