using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Recording.Media.Ffmpeg;
using Recording.Media.Manifest;
using Recording.Media.Validation;
using Recording.Media.Verification;

namespace Recording.Worker.Commands;

/// <summary>
/// What the media-operation commands (splice, clip, package, compose) share: one JSON result line on stdout, errors on
/// stderr, and exit codes that separate the user's faults (2: bad input, naming the option and the rule; never retried)
/// from the service's (1) and from a stop on request (143, as a process ended by SIGTERM).
/// </summary>
internal static class MediaOperation
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Stopped = 143;

    /// <summary>camelCase, kebab-case enums, UTC millisecond timestamps (as the manifest), and TimeSpans as seconds.</summary>
    internal static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>
    /// Runs <paramref name="operation"/> and prints its result as one line <c>{"type": type, ...result}</c> on stdout.
    /// SIGTERM and SIGINT cancel it: ffmpeg is asked to stop and no result is printed, since a partial output is not one.
    /// </summary>
    /// <param name="outputFile">The file the operation writes, removed when it stops or fails so that no later step
    /// (an upload that looks for it) mistakes a partial or unverified file for a result; null for folder outputs.</param>
    /// <param name="inputOption">The option whose file holds nested fields (segments[2].file, tracks[0].leaveAt), so that
    /// an error names where to look: "--manifest segments[2].file".</param>
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        string type,
        string inputOption,
        Func<CancellationToken, Task<object>> operation,
        string? outputFile,
        CancellationToken cancellationToken = default)
    {
        using var stop = new StopSignals(cancellationToken);
        try
        {
            var result = await operation(stop.Token);
            stop.Token.ThrowIfCancellationRequested();
            await Console.Out.WriteLineAsync(ResultLine(type, result));
            await Console.Out.FlushAsync(CancellationToken.None);
            return Ok;
        }
        catch (MediaInputException ex)
        {
            await Console.Error.WriteLineAsync($"error: {OptionFor(parseResult.CommandResult.Command, inputOption, ex.Field)}: {ex.Rule}");
            return BadInput;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"stopped: {parseResult.CommandResult.Command.Name} was stopped on request; {RemovePartial(outputFile)}");
            return Stopped;
        }
        catch (Exception ex) when (ex is OutputVerificationException or FfmpegException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"failed: {ex.Message}; {RemovePartial(outputFile)}");
            return Failed;
        }
    }

    private static string RemovePartial(string? outputFile)
    {
        try
        {
            if (outputFile is null || !File.Exists(outputFile))
            {
                return "no output was written";
            }

            File.Delete(outputFile);
            return "the partial output was removed";
        }
        catch (IOException ex)
        {
            return $"the partial output could not be removed ({ex.Message})";
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"the partial output could not be removed ({ex.Message})";
        }
    }

    /// <summary>The result as one compact JSON object with its type first.</summary>
    internal static string ResultLine(string type, object result)
    {
        var line = new JsonObject { ["type"] = type };
        if (JsonSerializer.SerializeToNode(result, result.GetType(), Json) is JsonObject body)
        {
            foreach (var (name, value) in body.ToList())
            {
                body.Remove(name);
                line[name] = value;
            }
        }

        return line.ToJsonString(Json);
    }

    /// <summary>
    /// Maps a field named by src/Media to what the user typed: "segmentDuration" to "--segment-duration" when the command
    /// has that option, and anything else (a field inside the input file) to "--manifest segments[1].file".
    /// </summary>
    internal static string OptionFor(Command command, string inputOption, string field)
    {
        var option = "--" + JsonNamingPolicy.KebabCaseLower.ConvertName(field);
        return command.Options.Any(o => o.Name == option) ? option : $"{inputOption} {field}";
    }

    /// <summary>
    /// Reads an offset or a length: plain seconds ("12", "12.5"), a clock time ("00:01:30.5"), or the units the capture
    /// command takes ("90s", "1m30s", "2h"; see <see cref="DurationText"/>).
    /// </summary>
    public static TimeSpan ParseTime(string? text, string field)
    {
        var value = text?.Trim().ToLowerInvariant() ?? string.Empty;
        if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (value.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParseExact(value, ["h\\:mm\\:ss", "h\\:mm\\:ss\\.FFFFFFF", "hh\\:mm\\:ss", "hh\\:mm\\:ss\\.FFFFFFF"], CultureInfo.InvariantCulture, out var clock))
        {
            return clock;
        }

        if (value.Length > 0 && DurationText.TryParse(value, out var duration))
        {
            return duration;
        }

        throw new MediaInputException(field, $"must be a time such as 12, 12.5, 1m30s or 00:01:30 (got '{text}')");
    }

    /// <summary>Splits "a,b,c" into trimmed, non-empty parts.</summary>
    public static IReadOnlyList<string> List(string? text)
        => text is null ? [] : [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(ManifestJson.Options) { WriteIndented = false };
        options.Converters.Add(new SecondsConverter());
        return options;
    }

    /// <summary>Writes TimeSpans as seconds (a number), which every consumer can read without parsing .NET's "c" format.</summary>
    private sealed class SecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options)
            => writer.WriteNumberValue(Math.Round(value.TotalSeconds, 3));
    }
}
