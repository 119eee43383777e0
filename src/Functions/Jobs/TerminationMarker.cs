using System.Globalization;

namespace Recording.Functions.Jobs;

/// <summary>
/// A file in a recording's work folder that says it was terminated. Terminating an instance does not call back an activity
/// it had already scheduled, so a <c>StartCapture</c> on its way would launch a capture that nobody listens to and that runs
/// to its maximum duration. The terminate path sets this before it terminates; <c>StartCapture</c> looks before it launches
/// and again after, and stops what it launched: whichever side comes second sees the other.
/// </summary>
public static class TerminationMarker
{
    public const string FileName = "terminated";

    public static async Task SetAsync(string workFolder, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(workFolder);
        await File.WriteAllTextAsync(Path.Combine(workFolder, FileName), at.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
    }

    public static bool IsSet(string workFolder) => File.Exists(Path.Combine(workFolder, FileName));
}
