using System.CommandLine;
using Recording.Worker.Commands;

// The media worker: one subcommand per file under Commands/. Results and events go to stdout as JSON lines; logs go to stderr.
var root = new RootCommand("Recording media worker: capture and post-processing jobs over src/Media for the recording pipeline.");
root.Subcommands.Add(CaptureCommand.Create());
root.Subcommands.Add(JobCommand.Create());
root.Subcommands.Add(MediaJobCommand.Create());
root.Subcommands.Add(SpliceCommand.Create());
root.Subcommands.Add(ClipCommand.Create());
root.Subcommands.Add(PackageCommand.Create());
root.Subcommands.Add(ComposeCommand.Create());

// stdout is reserved for event lines, so help and parse errors go to stderr; signals are handled by the commands
// themselves (PosixSignalRegistration), which must finalise the open segment before the process ends.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = Console.Error, Error = Console.Error };
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A missing or malformed option is the user's fault, like any other bad input: exit code 2, never retried.
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"error: {error.Message}");
    }

    return 2;
}

return await parsed.InvokeAsync(configuration);
