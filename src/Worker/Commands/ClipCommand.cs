using System.CommandLine;
using Recording.Media.Clip;

namespace Recording.Worker.Commands;

/// <summary>`clip --manifest &lt;...&gt; --from &lt;offset&gt; --to &lt;offset&gt; --output &lt;file&gt;`: a range cut on keyframes, without re-encoding.</summary>
internal static class ClipCommand
{
    public static Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "manifest.json or the folder that holds it", Required = true };
        var from = new Option<string>("--from") { Description = "start offset in the spliced timeline (12, 12.5s, 1m30s, 00:01:30)", Required = true };
        var to = new Option<string>("--to") { Description = "end offset in the spliced timeline", Required = true };
        var output = new Option<string>("--output") { Description = "the file to write", Required = true };
        var command = new Command("clip", "Cut a range from a manifest's segments on keyframes by stream copy") { manifest, from, to, output };
        command.SetAction((parseResult, cancellationToken) => MediaOperation.RunAsync(parseResult, "clipped", "--manifest", async stop =>
            await new KeyframeClipper().ClipAsync(
                new ClipRequest(
                    parseResult.GetRequiredValue(manifest),
                    MediaOperation.ParseTime(parseResult.GetValue(from), "from"),
                    MediaOperation.ParseTime(parseResult.GetValue(to), "to"),
                    parseResult.GetRequiredValue(output)),
                stop), parseResult.GetValue(output), cancellationToken));
        return command;
    }
}
