using System.Security.Cryptography;
using System.Text;

namespace Recording.Functions.Jobs;

/// <summary>
/// Names the per-recording control queue. Recording ids allow '_', '.' and capitals, which queue names do not, so the name is a
/// prefix and 32 hex digits of the id's SHA-256: stable, valid and distinct per recording.
/// </summary>
public static class QueueCaptureControlQueue
{
    /// <summary>Metadata key (on the control queue) of the start message id: present once a start was sent.</summary>
    public const string StartMessageIdKey = "startmessageid";

    public const string RecordingIdKey = "recordingid";

    public static string NameFor(string prefix, string recordingId)
        => prefix + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recordingId)))[..32];
}
