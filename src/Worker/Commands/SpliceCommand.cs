using System.CommandLine;
using Recording.Media.Splice;
using Recording.Media.Validation;

namespace Recording.Worker.Commands;

/// <summary>`splice --manifest &lt;dir&gt;/manifest.json --output &lt;file&gt; [--gap cut|fill]`: the segments of a capture as one file.</summary>
internal static class SpliceCommand
{
    public static Command Create()
    {
        var manifest = new Option<string>("--manifest") { Description = "manifest.json or the folder that holds it", Required = true };
        var output = new Option<string>("--output") { Description = "the file to write (.mp4 gets faststart)", Required = true };
        var gap = new Option<string>("--gap") { Description = "cut (default): close gaps; fill: black video and silence for each gap", DefaultValueFactory = _ => "cut" };
        var command = new Command("splice", "Join the segments of a manifest into one file, by stream copy where they are compatible") { manifest, output, gap };
        command.SetAction((parseResult, cancellationToken) => MediaOperation.RunAsync(parseResult, "spliced", "--manifest", async stop =>
        {
            var policy = parseResult.GetValue(gap)?.Trim().ToLowerInvariant() switch
            {
                "cut" => GapPolicy.Cut,
                "fill" => GapPolicy.Fill,
                var other => throw new MediaInputException("gap", $"must be cut or fill (got '{other}')"),
            };
            return await new SegmentSplicer().SpliceAsync(new SpliceRequest(parseResult.GetRequiredValue(manifest), parseResult.GetRequiredValue(output), policy), stop);
        }, parseResult.GetValue(output), cancellationToken));
        return command;
    }
}
