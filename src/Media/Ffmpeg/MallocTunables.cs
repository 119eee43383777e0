namespace Recording.Media.Ffmpeg;

/// <summary>
/// Lets glibc's malloc in ffmpeg ask for transparent huge pages (THP in madvise mode, the default of Debian and of Azure's
/// Linux hosts). An x264 encode writes some 100 MB of fresh frame buffers in its first second; at 4 KB a page that is tens
/// of thousands of page faults, each a hypervisor exit on a VM, and in a one-process ladder all of them come on ffmpeg's
/// main thread while it opens the encoders one after another. Measured on bench/Media's ladder (2-core AMD EPYC VM, 8
/// alternating rounds): minor faults 34k to 23k, the one-process encode 4.95 to 4.73 s, one process per rung unchanged;
/// peak memory 8 % higher. glibc before 2.35 ignores the tunable.
/// </summary>
internal static class MallocTunables
{
    public const string Variable = "GLIBC_TUNABLES";

    private const string HugePages = "glibc.malloc.hugetlb=1";

    /// <summary>The value ffmpeg gets: the caller's own tunables kept, and huge pages added unless they already say otherwise.</summary>
    public static string With(string? existing)
        => string.IsNullOrEmpty(existing) ? HugePages
            : existing.Contains("glibc.malloc.hugetlb=", StringComparison.Ordinal) ? existing
            : $"{existing}:{HugePages}";
}
