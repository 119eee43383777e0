using Microsoft.Extensions.Options;

namespace Recording.Functions.Hosting;

/// <summary>Runs an options class's own rules at startup so a bad setting stops the service with a message instead of failing later.</summary>
public sealed class SelfValidatingOptions<T> : IValidateOptions<T>
    where T : class, IValidatableOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = options.Validate().ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
