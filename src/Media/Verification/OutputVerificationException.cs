namespace Recording.Media.Verification;

/// <summary>An output failed its check (wrong duration, missing stream, decode errors): the service's fault, never reported ready.</summary>
public sealed class OutputVerificationException : Exception
{
    public OutputVerificationException(string path, string rule)
        : base($"Output {System.IO.Path.GetFileName(path)} failed verification: {rule}")
    {
        OutputPath = path;
        Rule = rule;
    }

    public string OutputPath { get; }

    public string Rule { get; }
}
