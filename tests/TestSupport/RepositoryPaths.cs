namespace Recording.TestSupport;

/// <summary>Locates the repository root (where Recording.sln lives) and its well-known folders from a running test.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string NodeBin => Path.Combine(Root, "node_modules", ".bin");

    public static string WorkerProject => Path.Combine(Root, "src", "Worker", "Worker.csproj");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Recording.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Recording.sln not found above " + AppContext.BaseDirectory);
    }
}
