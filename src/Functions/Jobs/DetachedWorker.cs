using System.Diagnostics;

namespace Recording.Functions.Jobs;

/// <summary>
/// Starts the media worker (<c>dotnet Recording.Worker.dll ...</c>) through <c>sh</c> with its stdout and stderr appended to
/// files, never to pipes: the worker outlives a killed service and goes on writing where a restarted service can read.
/// </summary>
internal static class DetachedWorker
{
    /// <param name="stdoutFile">Where stdout is appended.</param>
    /// <param name="stderrFile">Where stderr is appended; the same file as stdout is allowed.</param>
    public static Process Start(LocalCaptureOptions options, IEnumerable<string> arguments, string workingDirectory, string stdoutFile, string stderrFile)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        // The command line is fixed; every value travels as a positional argument ("$@") or in the environment, never through
        // the shell's parser.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$@\" </dev/null >>\"$RECORDING_STDOUT_FILE\" 2>>\"$RECORDING_STDERR_FILE\"");
        start.ArgumentList.Add("sh");
        start.ArgumentList.Add(options.DotnetPath);
        start.ArgumentList.Add(options.ResolveWorkerPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RECORDING_STDOUT_FILE"] = stdoutFile;
        start.Environment["RECORDING_STDERR_FILE"] = stderrFile;
        return Process.Start(start) ?? throw new InvalidOperationException("The media worker could not be started.");
    }
}
