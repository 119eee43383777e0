namespace Recording.Media.Ffmpeg;

/// <summary>
/// Lets glibc's malloc in ffmpeg ask for transparent huge pages. A one-process ladder touches some 120 MB of fresh memory
/// in its first 0.75 s, most of it x264's frame buffers: at 4 KB a page, 31,000 of its 34,000 page faults, all while its
/// main thread opens the encoders one after another and the other core waits. Measured on bench/Media's ladder (2-core
/// AMD EPYC VM, THP in madvise mode, 8 alternating rounds): minor faults 34k to 23k, the one-process encode 4.95 to
/// 4.73 s, one process per rung unchanged; peak memory 8 % higher. Where THP is 'always' or 'never', or glibc is older
/// than 2.35, the tunable changes nothing.
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
