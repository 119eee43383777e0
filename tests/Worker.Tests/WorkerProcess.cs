using System.Text.Json;
using Recording.TestSupport;

namespace Recording.Worker.Tests;

/// <summary>The real worker executable (built with this project), started as `dotnet Recording.Worker.dll ...`.</summary>
public static class WorkerProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Recording.Worker.dll");

    public static ManagedProcess Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
        => ManagedProcess.Start("dotnet", [Dll, .. arguments], environment: environment);

    /// <summary>Runs the worker to its end; returns exit code, stdout lines and stderr text separately.</summary>
    public static async Task<(int ExitCode, string[] Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments, TimeSpan deadline, IDictionary<string, string>? environment = null)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries), await stderr);
    }

    /// <summary>Event lines of a worker's stdout, parsed; every stdout line must be one JSON object with a type.</summary>
    public static List<JsonElement> Events(IEnumerable<string> stdoutLines)
        => stdoutLines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
