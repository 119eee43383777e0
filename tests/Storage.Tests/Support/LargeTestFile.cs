using System.Diagnostics;

namespace Recording.Storage.Tests.Support;

/// <summary>
/// The 200 MiB file of the acceptance tests, generated once per test run and hard-linked into each test's folder:
/// same bytes without writing 200 MiB again, and each link has its own upload state file beside it.
/// </summary>
public static class LargeTestFile
{
    public const long Size = 200 * 1024 * 1024;

    private static readonly Lazy<string> Original = new(Generate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>A hard link named <paramref name="name"/> in <paramref name="files"/>' folder to the shared 200 MiB file.</summary>
    public static string LinkInto(TestFiles files, string name = "200MiB.bin")
    {
        var link = files.PathFor(name);
        using var ln = Process.Start(new ProcessStartInfo("ln", [Original.Value, link]) { UseShellExecute = false })!;
        ln.WaitForExit();
        if (ln.ExitCode != 0)
        {
            throw new IOException($"ln {Original.Value} {link} failed with {ln.ExitCode}.");
        }

        return link;
    }

    private static string Generate()
    {
        var files = new TestFiles();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => files.Dispose();
        return files.Create(Size, seed: 200, name: "shared-200MiB.bin");
    }
}
