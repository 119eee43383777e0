namespace Recording.TestSupport;

/// <summary>The service's unauthenticated health endpoint, polled until a started service process answers it.</summary>
public static class HealthEndpoint
{
    /// <summary>Waits for GET api/health to succeed; fails at once, with the process's last lines, if the process exits first.</summary>
    public static Task WaitAsync(HttpClient client, ManagedProcess process, TimeSpan deadline)
        => Eventually.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The service exited with {process.ExitCode}: {process.Tail()}");
                }

                try
                {
                    using var answer = await client.GetAsync(new Uri("api/health", UriKind.Relative));
                    return answer.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            deadline,
            "the service to answer /api/health");
}
