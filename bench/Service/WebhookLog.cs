using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Recording.TestSupport;

namespace Recording.Bench.Service;

/// <summary>A webhook receiver that notes the monotonic time at which each (recording, event type) first arrived.</summary>
internal sealed class WebhookLog : IAsyncDisposable
{
    public const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<(string RecordingId, string Type), long> arrivals = new();

    private WebhookLog(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<WebhookLog> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var log = new WebhookLog(builder.Build(), new Uri($"http://127.0.0.1:{port}/hooks"));
        log.app.Run(log.ReceiveAsync);
        await log.app.StartAsync();
        return log;
    }

    /// <summary>Waits for the first event of any of <paramref name="types"/> (in that order of preference); returns its arrival time and type.</summary>
    public async Task<(long At, string Type)> WaitAsync(string recordingId, TimeSpan deadline, params string[] types)
    {
        Arrival? Find() => types.Where(t => arrivals.ContainsKey((recordingId, t))).Select(t => new Arrival(arrivals[(recordingId, t)], t)).FirstOrDefault();
        var found = await Eventually.WaitForAsync(() => Task.FromResult(Find()), deadline, $"{string.Join(" or ", types)} for {recordingId}", TimeSpan.FromMilliseconds(5));
        return (found.At, found.Type);
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var at = Stopwatch.GetTimestamp();
        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var type = document.RootElement.GetProperty("type").GetString()!;
        var recordingId = document.RootElement.GetProperty("data").GetProperty("recordingId").GetString()!;
        arrivals.TryAdd((recordingId, type), at);
        context.Response.StatusCode = 200;
    }

    private sealed record Arrival(long At, string Type);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
