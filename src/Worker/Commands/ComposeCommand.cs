using System.CommandLine;
using Recording.Media.Compose;
using Recording.Media.Validation;

namespace Recording.Worker.Commands;

/// <summary>`compose --timeline &lt;timeline.json&gt; --output &lt;file&gt; [--layout grid|speaker|single] [--size 1280x720] [--roles host,guest]`.</summary>
internal static class ComposeCommand
{
    private static readonly string[] X264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"];

    public static Command Create()
    {
        var timeline = new Option<string>("--timeline") { Description = "timeline JSON: tracks with file, participant, role, joinAt, leaveAt (seconds)", Required = true };
        var output = new Option<string>("--output") { Description = "the file to write", Required = true };
        var layout = new Option<string>("--layout") { Description = "grid (default), speaker or single", DefaultValueFactory = _ => "grid" };
        var size = new Option<string>("--size") { Description = "1280x720 (default), 720x1280, 1920x1080; even sides, at most 1920x1080", DefaultValueFactory = _ => "1280x720" };
        var roles = new Option<string>("--roles") { Description = "only tracks with these roles, e.g. host,guest" };
        var labels = new Option<bool>("--labels") { Description = "draw participant names on video tiles" };
        var frameRate = new Option<int>("--frame-rate") { Description = "output frames per second, 1 to 60 (default 30)", DefaultValueFactory = _ => 30 };
        var preset = new Option<string>("--preset") { Description = "x264 preset, ultrafast to veryslow (default veryfast)", DefaultValueFactory = _ => "veryfast" };
        var command = new Command("compose", "Compose participant tracks into one video that follows who was present when") { timeline, output, layout, size, roles, labels, frameRate, preset };
        command.SetAction((parseResult, cancellationToken) => MediaOperation.RunAsync(parseResult, "composed", "--timeline", async stop =>
        {
            var x264Preset = parseResult.GetValue(preset)?.Trim().ToLowerInvariant();
            if (!X264Presets.Contains(x264Preset))
            {
                throw new MediaInputException("preset", $"must be one of {string.Join(", ", X264Presets)} (got '{x264Preset}')");
            }

            return await new TimelineCompositor().ComposeAsync(
                new CompositeRequest(parseResult.GetRequiredValue(timeline), parseResult.GetRequiredValue(output))
                {
                    Layout = CompositeLayoutNames.Parse(parseResult.GetValue(layout)),
                    Size = CompositeSize.Parse(parseResult.GetValue(size)),
                    Roles = MediaOperation.List(parseResult.GetValue(roles)),
                    NameLabels = parseResult.GetValue(labels),
                    FrameRate = parseResult.GetValue(frameRate),
                    X264Preset = x264Preset!,
                },
                stop);
        }, parseResult.GetValue(output), cancellationToken));
        return command;
    }
}
