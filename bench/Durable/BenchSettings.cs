using System.Globalization;

namespace Recording.Durable.Bench;

/// <summary>Sizes of the scenarios, from the command line: <c>--round-trips N --orchestrations N --azurite-orchestrations N --fan-out N --backends sqlite,azurite</c>.</summary>
/// <remarks>Azurite's orchestration count has its own option: Azurite serves about 55 requests per orchestration from one Node.js
/// process, so a smaller count (<c>--azurite-orchestrations 200</c>) gives a quick look; the default run does the 1,000 of the issue.</remarks>
internal sealed record BenchSettings(int RoundTrips, int Orchestrations, int AzuriteOrchestrations, int FanOut, IReadOnlySet<string> Backends)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(200, 1000, 1000, 1000, new HashSet<string>(["sqlite", "azurite"], StringComparer.OrdinalIgnoreCase));
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]}: a value must follow.");
            settings = args[i] switch
            {
                "--round-trips" => settings with { RoundTrips = Positive(args[i], value) },
                "--orchestrations" => settings with { Orchestrations = Positive(args[i], value) },
                "--azurite-orchestrations" => settings with { AzuriteOrchestrations = Positive(args[i], value) },
                "--fan-out" => settings with { FanOut = Positive(args[i], value) },
                "--backends" => settings with { Backends = new HashSet<string>(value.Split(','), StringComparer.OrdinalIgnoreCase) },
                _ => throw new ArgumentException($"{args[i]}: unknown option; use --round-trips, --orchestrations, --azurite-orchestrations, --fan-out or --backends."),
            };
            i++;
        }

        return settings;
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{option}: must be a positive whole number, not '{value}'.");
}
