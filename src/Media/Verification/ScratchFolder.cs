namespace Recording.Media.Verification;

/// <summary>A private folder for intermediates (concat scripts, fillers), deleted on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string prefix, string? parent = null)
    {
        FullName = Path.Combine(parent ?? Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(FullName);
    }

    public string FullName { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullName, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover scratch folder in temp is harmless.
        }
    }
}
