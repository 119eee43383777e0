using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Recording.Storage.Upload;

/// <summary>The retry pipeline every request of an upload runs in: exponential backoff with jitter around a per-attempt timeout.</summary>
public static class RetryPipelines
{
    public static ResiliencePipeline Create(UploadOptions options, CancellationToken callerToken, Action<Exception>? onRetry = null)
    {
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetries > 0 && args.Outcome.Exception is { } e && TransientFaults.IsTransient(e, callerToken)),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } e)
                    {
                        onRetry?.Invoke(e);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.RequestTimeout })
            .Build();
    }
}
