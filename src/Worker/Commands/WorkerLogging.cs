using Microsoft.Extensions.Logging;

namespace Recording.Worker.Commands;

/// <summary>The worker's logs: one line each, all on stderr, since stdout carries only event and result lines.</summary>
internal static class WorkerLogging
{
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(o => o.SingleLine = true)
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
}
