namespace Recording.Functions.Jobs;

/// <summary>How the local runner starts the media worker (section <c>Recording:Capture</c>).</summary>
public sealed class LocalCaptureOptions : Hosting.IValidatableOptions
{
    public const string Section = "Recording:Capture";

    /// <summary>Recording.Worker.dll; empty: next to the service, else the repository's src/Worker build output.</summary>
    public string? WorkerPath { get; set; }

    /// <summary>The dotnet host that runs the worker.</summary>
    public string DotnetPath { get; set; } = "dotnet";

    /// <summary>How often a running job's events file is read for new lines.</summary>
    public TimeSpan FollowInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often a worker that died without reporting its end is started again on the same folder (it recovers the manifest).</summary>
    public int MaxRestarts { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (WorkerPath is { Length: > 0 } path && !File.Exists(path))
        {
            yield return $"{Section}:WorkerPath must name an existing Recording.Worker.dll";
        }

        if (string.IsNullOrWhiteSpace(DotnetPath))
        {
            yield return $"{Section}:DotnetPath must name the dotnet host";
        }

        if (FollowInterval < TimeSpan.FromMilliseconds(10) || FollowInterval > TimeSpan.FromSeconds(10))
        {
            yield return $"{Section}:FollowInterval must be between 00:00:00.010 and 00:00:10";
        }

        if (MaxRestarts is < 0 or > 100)
        {
            yield return $"{Section}:MaxRestarts must be between 0 and 100";
        }
    }

    /// <summary>The worker assembly: the configured path, or the first that exists of the default places.</summary>
    public string ResolveWorkerPath()
    {
        if (WorkerPath is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        const string Assembly = "Recording.Worker.dll";
        var beside = Path.Combine(AppContext.BaseDirectory, Assembly);
        if (File.Exists(beside))
        {
            return beside;
        }

        // A development checkout: walk up to the repository and use the worker's own build output.
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            foreach (var configuration in new[] { "Release", "Debug" })
            {
                var candidate = Path.Combine(folder.FullName, "src", "Worker", "bin", configuration, "net10.0", Assembly);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException($"{Section}:WorkerPath is not set and {Assembly} is neither next to the service nor in src/Worker/bin: build src/Worker or set the path.");
    }
}
