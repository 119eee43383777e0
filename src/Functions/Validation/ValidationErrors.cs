namespace Recording.Functions.Validation;

/// <summary>Collects validation failures as field name to rules, the shape of a problem+json <c>errors</c> map.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public void Add(string field, string rule)
    {
        if (!errors.TryGetValue(field, out var rules))
        {
            rules = [];
            errors[field] = rules;
        }

        rules.Add(rule);
    }

    public bool Has(string field) => errors.ContainsKey(field);

    /// <summary>Whether <paramref name="field"/> or anything inside it (<c>field.x</c>, <c>field[0]</c>) has an error.</summary>
    public bool HasUnder(string field) => errors.Keys.Any(k => k == field || k.StartsWith(field + ".", StringComparison.Ordinal) || k.StartsWith(field + "[", StringComparison.Ordinal));

    public IDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    public static string Join(string prefix, string field) => prefix.Length == 0 ? field : prefix + "." + field;
}
