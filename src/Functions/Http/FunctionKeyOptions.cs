using Recording.Functions.Hosting;

namespace Recording.Functions.Http;

/// <summary>The function keys (section <c>Recording:Keys</c>): admin keys may do everything, recorder keys only start, stop and read recordings.</summary>
public sealed class FunctionKeyOptions : IValidatableOptions
{
    public const string Section = "Recording:Keys";

    /// <summary>The shortest key accepted: Azure Functions keys are 56 characters; anything much shorter is guessable.</summary>
    public const int MinimumLength = 24;

    public List<string> Admin { get; set; } = [];

    public List<string> Recorder { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (Admin.Count == 0)
        {
            yield return $"{Section}:Admin must hold at least one key (set {Section}:Admin:0, e.g. via the environment variable Recording__Keys__Admin__0)";
        }

        foreach (var (keys, name) in new[] { (Admin, "Admin"), (Recorder, "Recorder") })
        {
            for (var i = 0; i < keys.Count; i++)
            {
                // The message names the position, never the key itself.
                if (string.IsNullOrWhiteSpace(keys[i]) || keys[i].Length < MinimumLength || keys[i].Any(char.IsWhiteSpace))
                {
                    yield return $"{Section}:{name}:{i} must be at least {MinimumLength} characters without whitespace";
                }
            }
        }

        if (Admin.Intersect(Recorder, StringComparer.Ordinal).Any())
        {
            yield return $"{Section}:Recorder must not repeat a key of {Section}:Admin";
        }
    }
}
