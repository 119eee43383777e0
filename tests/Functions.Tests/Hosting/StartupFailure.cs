using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Recording.Functions.Tests.Hosting;

/// <summary>Starts an app that must refuse to start and returns the one validation failure it gave (the test fails otherwise).</summary>
internal static class StartupFailure
{
    public static async Task<string> TextAsync(WebApplication app)
    {
        var failures = new List<string>();
        try
        {
            await app.StartAsync();
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            failures.Add(ex.ToString());
        }

        return Assert.Single(failures);
    }
}
