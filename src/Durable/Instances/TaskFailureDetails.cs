namespace Recording.Durable.Instances;

/// <summary>Structured details of a failure: exception type, message, stack trace and the inner failure, as durabletask-dotnet carries them.</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>Captures an exception (and its inner exceptions) as failure details.</summary>
    public static TaskFailureDetails FromException(Exception exception) =>
        new(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));

    /// <summary>True if this failure (or, when <paramref name="includeInner"/>, an inner one) has the given exception type.</summary>
    public bool IsCausedBy<TException>(bool includeInner = true)
        where TException : Exception
    {
        var name = typeof(TException).FullName;
        return ErrorType == name || (includeInner && InnerFailure is not null && InnerFailure.IsCausedBy<TException>());
    }

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
