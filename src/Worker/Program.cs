using System.CommandLine;
using Recording.Worker.Commands;

// The media worker: one subcommand per file under Commands/. Results and events go to stdout as JSON lines; logs go to stderr.
var root = new RootCommand("Recording media worker: long-running ffmpeg jobs (capture, ...) for the recording pipeline.");
root.Subcommands.Add(CaptureCommand.Create());

var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await root.Parse(args).InvokeAsync(configuration);
