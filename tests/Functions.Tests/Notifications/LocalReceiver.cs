using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Notifications;

/// <summary>A real HTTP receiver on a free loopback port that records every request and answers from a script (status codes; 0 = never answer).</summary>
public sealed class LocalReceiver : IAsyncDisposable
{
    public const int NeverAnswer = 0;

    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> script = new();

    private LocalReceiver(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public static async Task<LocalReceiver> StartAsync(params int[] answers)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LocalReceiver(app, new Uri($"http://127.0.0.1:{port}/hooks/recording"));
        foreach (var answer in answers)
        {
            receiver.script.Enqueue(answer);
        }

        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Requests.Enqueue(new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal),
            body.ToArray(),
            DateTimeOffset.UtcNow));
        var status = script.TryDequeue(out var next) ? next : 200;
        if (status == NeverAnswer)
        {
            // Plays a receiver that hangs: the request stays open until the sender gives up on it.
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}
