using Recording.Durable.Instances;
using Recording.Functions.Network;
using Recording.Media.Packaging;
using Recording.Media.Splice.Fragmented;
using Recording.Media.Validation;
using Recording.Media.Verification;
using Recording.Storage.Destinations;
using Recording.Storage.Keys;

namespace Recording.Functions.Orchestration;

/// <summary>
/// Failures that another attempt cannot fix (bad media, an output that fails verification, wrong destination settings, a refused
/// key, an address the deployment may not connect to): retried, they would only delay the <c>recording.failed</c> a user can
/// act on. Everything else (storage outages, timeouts, a killed ffmpeg) is retried.
/// </summary>
public static class PermanentFailures
{
    private static readonly HashSet<string> Types =
    [
        typeof(MediaInputException).FullName!,
        typeof(DestinationSettingsException).FullName!,
        typeof(InvalidObjectKeyException).FullName!,
        typeof(FileNotFoundException).FullName!,
        typeof(IncompatibleSegmentException).FullName!,
        // Video that must be re-encoded is work for a media job: the same segment is refused the same way again.
        typeof(TranscodeRequiredException).FullName!,
        // An output that fails its checks is made from the same inputs by the same steps: another attempt fails the same way.
        typeof(OutputVerificationException).FullName!,
    ];

    public static bool IsTransient(TaskFailureDetails failure)
        // A refused address comes wrapped in the SDK's connection failure, which is otherwise worth retrying.
        => !Types.Contains(failure.ErrorType) && !failure.IsCausedBy<PrivateAddressRefusedException>();
}
