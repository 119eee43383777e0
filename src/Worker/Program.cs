using System.CommandLine;
using Recording.Worker.Commands;

// The media worker: one subcommand per file under Commands/. Results and events go to stdout as JSON lines; logs go to stderr.
var root = new RootCommand("Recording media worker: long-running ffmpeg jobs (capture, ...) for the recording pipeline.");
root.Subcommands.Add(CaptureCommand.Create());
root.Subcommands.Add(JobCommand.Create());

// stdout is reserved for event lines, so help and parse errors go to stderr; signals are handled by the commands
// themselves (PosixSignalRegistration), which must finalise the open segment before the process ends.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null, Output = Console.Error, Error = Console.Error };
return await root.Parse(args).InvokeAsync(configuration);
