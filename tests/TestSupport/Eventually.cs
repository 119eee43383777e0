namespace Recording.TestSupport;

/// <summary>Waits on a condition with a deadline instead of sleeping a fixed time (house style: no timed tests).</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what, TimeSpan? interval = null)
        where T : class
    {
        var until = DateTime.UtcNow + deadline;
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                var value = await probe();
                if (value is not null)
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                last = ex;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException($"Timed out after {deadline} waiting for {what}." + (last is null ? "" : " Last error: " + last.Message), last);
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan deadline, string what, TimeSpan? interval = null)
    {
        await WaitForAsync<object>(async () => await condition() ? new object() : null, deadline, what, interval);
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what, TimeSpan? interval = null)
        => UntilAsync(() => Task.FromResult(condition()), deadline, what, interval);
}
