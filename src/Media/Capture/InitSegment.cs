namespace Recording.Media.Capture;

/// <summary>
/// An fMP4 media segment (.m4s) is not a file ffprobe or ffmpeg can read alone: its codec setup is in the init segment.
/// Joined behind its init, it reads as one fragmented MP4, as a player reads it.
/// </summary>
internal static class InitSegment
{
    /// <summary>Writes <paramref name="initPath"/> followed by <paramref name="fragmentPath"/> to <paramref name="joinedPath"/>.</summary>
    public static async Task JoinAsync(string initPath, string fragmentPath, string joinedPath, CancellationToken cancellationToken = default)
    {
        await using var output = File.Create(joinedPath);
        await using (var init = File.OpenRead(initPath))
        {
            await init.CopyToAsync(output, cancellationToken);
        }

        await using var fragment = File.OpenRead(fragmentPath);
        await fragment.CopyToAsync(output, cancellationToken);
    }
}
