using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Recording.Functions.Tests.Deployment;

/// <summary>
/// The ARM JSON that `bicep build` makes of infra/bicep/main.bicep, read the way the tests need: a module's resources
/// by type, and values resolved where they are plain parameters, variables or a format of one of them. Anything
/// else (listKeys, reference, a module output) is left as its expression text, which is known only in Azure.
/// </summary>
internal sealed partial class CompiledTemplate(JsonObject root)
{
    /// <summary>An output's value expression.</summary>
    public string Output(string name) => (string)root["outputs"]![name]!["value"]!;

    /// <summary>A parameter's default value in the main template.</summary>
    public JsonNode? DefaultOf(string parameter) => root["parameters"]![parameter]!["defaultValue"];

    public JsonObject Module(string name)
        => Deployments().Single(d => (string?)d["name"] == name);

    public IReadOnlyList<JsonObject> Resources(JsonObject module, string type)
    {
        return [.. All(module["properties"]!["template"]!["resources"]!).Where(r => (string?)r["type"] == type)];
    }

    public JsonObject Resource(JsonObject module, string type) => Assert.Single(Resources(module, type));

    /// <summary>A value inside a module, resolved through the module's parameters to the main template; null if it is known only in Azure.</summary>
    public string? Resolve(JsonObject module, string value)
    {
        if (Parameter().Match(value) is { Success: true } parameter)
        {
            var passed = (string?)module["properties"]!["parameters"]![parameter.Groups["name"].Value]?["value"];
            return passed is null ? null : ResolveInMain(passed);
        }

        if (FormatOfOne().Match(value) is { Success: true, Groups: var format } && format["kind"].Value == "parameters")
        {
            return Format(format, Resolve(module, $"[parameters('{format["name"].Value}')]"));
        }

        return IsExpression(value) ? null : value;
    }

    /// <summary>An array inside a module (a literal one, or one passed as a module parameter), each item resolved as <see cref="Resolve"/> does.</summary>
    public IReadOnlyList<string?> ResolveArray(JsonObject module, JsonNode value)
    {
        if (value is JsonArray items)
        {
            return [.. items.Select(i => Resolve(module, (string)i!))];
        }

        var parameter = Parameter().Match((string)value!);
        Assert.True(parameter.Success, $"{value} is neither an array nor a module parameter");
        return [.. PassedArrayTo(module, parameter.Groups["name"].Value).Select(ResolveInMain)];
    }

    /// <summary>A child resource's own name (a queue's, a share's): the last segment of format('{0}/{1}/{2}', ..., parameters('x')).</summary>
    public string? ChildName(JsonObject module, JsonObject resource)
        => LastSegmentParameter().Match((string)resource["name"]!) is { Success: true } last ? Resolve(module, $"[parameters('{last.Groups["name"].Value}')]") : null;

    /// <summary>The main template's expression that a module parameter receives (for comparing what two modules are given).</summary>
    public string? PassedTo(JsonObject module, string parameter) => (string?)module["properties"]!["parameters"]![parameter]?["value"];

    /// <summary>The main template's expressions that a module's array parameter receives, item by item.</summary>
    public IReadOnlyList<string> PassedArrayTo(JsonObject module, string parameter)
        => [.. module["properties"]!["parameters"]![parameter]!["value"]!.AsArray().Select(i => (string)i!)];

    /// <summary>
    /// Every place in the main template and its modules whose value calls <paramref name="function"/> (listKeys, say), as
    /// "module/resource type/property path" ("main" for the main template's own resources and variables).
    /// </summary>
    public IReadOnlyList<string> PlacesCalling(string function)
    {
        var places = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject properties:
                    foreach (var (name, value) in properties)
                    {
                        Walk(value, $"{path}/{name}");
                    }

                    break;
                case JsonArray items:
                    foreach (var item in items)
                    {
                        Walk(item, path);
                    }

                    break;
                case JsonValue value when value.TryGetValue(out string? text) && text.Contains(function + "(", StringComparison.Ordinal):
                    places.Add(path);
                    break;
            }
        }

        Walk(root["variables"], "main/variables");
        foreach (var resource in All(root["resources"]!).Where(r => (string?)r["type"] != "Microsoft.Resources/deployments"))
        {
            Walk(resource["properties"], $"main/{resource["type"]}");
        }

        foreach (var module in Deployments())
        {
            var template = module["properties"]!["template"]!;
            Walk(template["variables"], $"{module["name"]}/variables");
            foreach (var resource in All(template["resources"]!))
            {
                Walk(resource["properties"], $"{module["name"]}/{resource["type"]}");
            }
        }

        return places;
    }

    private string? ResolveInMain(string value)
    {
        if (Variable().Match(value) is { Success: true } variable)
        {
            // A variable may itself be an expression over others (outputRoot = '${mountPath}/recordings').
            return root["variables"]![variable.Groups["name"].Value] is JsonValue defined ? ResolveInMain((string)defined!) : null;
        }

        if (Parameter().Match(value) is { Success: true } parameter)
        {
            return (string?)root["parameters"]![parameter.Groups["name"].Value]!["defaultValue"];
        }

        if (FormatOfOne().Match(value) is { Success: true, Groups: var format })
        {
            return Format(format, ResolveInMain($"[{format["kind"].Value}('{format["name"].Value}')]"));
        }

        return IsExpression(value) ? null : value;
    }

    private IEnumerable<JsonObject> Deployments() => All(root["resources"]!).Where(r => (string?)r["type"] == "Microsoft.Resources/deployments");

    /// <summary>A template's resources: an array, or an object keyed by symbolic name where Bicep compiles to language version 2.0.</summary>
    private static IEnumerable<JsonObject> All(JsonNode resources)
        => resources is JsonObject bySymbol ? bySymbol.Select(p => p.Value!.AsObject()) : resources.AsArray().Select(r => r!.AsObject());

    private static string? Format(GroupCollection format, string? inner)
        => inner is null ? null : format["format"].Value.Replace("{0}", inner, StringComparison.Ordinal);

    private static bool IsExpression(string value) => value.StartsWith('[') && !value.StartsWith("[[", StringComparison.Ordinal);

    [GeneratedRegex(@"^\[parameters\('(?<name>[A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex Parameter();

    [GeneratedRegex(@", parameters\('(?<name>[A-Za-z0-9_]+)'\)\)\]$")]
    private static partial Regex LastSegmentParameter();

    [GeneratedRegex(@"^\[variables\('(?<name>[A-Za-z0-9_]+)'\)\]$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^\[format\('(?<format>[^']*)', (?<kind>parameters|variables)\('(?<name>[A-Za-z0-9_]+)'\)\)\]$")]
    private static partial Regex FormatOfOne();
}
