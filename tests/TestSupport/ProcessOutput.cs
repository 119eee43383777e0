using System.Diagnostics;

namespace Recording.TestSupport;

/// <summary>Runs a short command to its end and returns its exit code with stdout and stderr apart (ManagedProcess merges them).</summary>
public static class ProcessOutput
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? deadline = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromMinutes(2));
        // Both pipes are read at once, so that neither fills while the other is awaited.
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
