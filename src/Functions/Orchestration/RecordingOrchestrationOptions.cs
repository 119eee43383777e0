namespace Recording.Functions.Orchestration;

/// <summary>How recordings are orchestrated (section <c>Recording:Orchestration</c>): history size, guards and retries.</summary>
public sealed class RecordingOrchestrationOptions : Hosting.IValidatableOptions
{
    public const string Section = "Recording:Orchestration";

    /// <summary>After this many segments an execution continues as new, so that a long recording's history stays small.</summary>
    public int ContinueAsNewAfterSegments { get; set; } = 50;

    /// <summary>How long to wait for the capture job to confirm its end after a stop before post-processing what is there.</summary>
    public TimeSpan StopConfirmationTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Attempts of one segment upload (the engine waits between them with backoff) before the recording fails.</summary>
    /// <remarks>
    /// This is how long a destination may be down without losing the recording. With the defaults (12 attempts, first wait 2 s,
    /// doubling, at most a minute) the 11 waits are 2 + 4 + 8 + 16 + 32 + 6 x 60 s = 422 s: an outage of about 7 minutes
    /// is ridden out (longer where each failed attempt itself takes time), and the uploads catch up when the bucket returns.
    /// The capture goes on meanwhile; its segments stay in the capture folder until their upload is confirmed. Uploads run
    /// beside the orchestrator's event loop, so a stop request or the maximum duration is acted on during an outage too.
    /// </remarks>
    public int UploadAttempts { get; set; } = 12;

    /// <summary>First wait before a segment upload is tried again; it doubles up to a minute (see <see cref="UploadAttempts"/>).</summary>
    public TimeSpan UploadFirstRetryInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the presigned URLs in a status answer stay valid.</summary>
    public TimeSpan PresignedUrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often the orchestrator asks after a running media job (ladder, thumbnails) between the job's own end event: a check
    /// reads a result whose event was lost and starts again a job whose worker died. The event, not the check, ends a normal job.
    /// </summary>
    public TimeSpan MediaJobCheckInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one media job may take before post-processing fails (a 2-hour recording's ladder takes about as long on 2 cores).</summary>
    public TimeSpan MediaJobTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often a media job is started before the recording fails: the first start and restarts after its worker died.</summary>
    public int MediaJobStarts { get; set; } = 3;

    /// <summary>How long a composition waits for its recordings to complete (post-processing included) before it fails.</summary>
    public TimeSpan CompositionWaitTimeout { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a composition pauses after it first finds its recordings still going; the pauses double up to a minute. A
    /// recording's end wakes the compositions waiting for it at once, so the pauses matter only when that nudge is lost.
    /// </summary>
    public TimeSpan CompositionFirstCheckPause { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After this many checks of its recordings, a waiting composition continues as new, so that a long wait's history stays
    /// small (checks are a minute apart once the first few have passed: a day's wait would otherwise replay about 6,000 events).
    /// </summary>
    public int CompositionWaitChecksPerExecution { get; set; } = 30;

    /// <summary>Lets capture jobs pull from loopback and private addresses; on for local runs, off for a deployment that records public sources.</summary>
    public bool AllowPrivateNetworks { get; set; } = true;

    public IEnumerable<string> Validate()
    {
        if (ContinueAsNewAfterSegments is < 1 or > 10_000)
        {
            yield return $"{Section}:ContinueAsNewAfterSegments must be between 1 and 10000";
        }

        if (StopConfirmationTimeout < TimeSpan.FromSeconds(1) || StopConfirmationTimeout > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:StopConfirmationTimeout must be between 00:00:01 and 01:00:00";
        }

        if (UploadAttempts is < 1 or > 100)
        {
            yield return $"{Section}:UploadAttempts must be between 1 and 100";
        }

        if (UploadFirstRetryInterval <= TimeSpan.Zero || UploadFirstRetryInterval > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:UploadFirstRetryInterval must be positive and at most 00:10:00";
        }

        if (MediaJobCheckInterval < TimeSpan.FromSeconds(1) || MediaJobCheckInterval > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:MediaJobCheckInterval must be between 00:00:01 and 01:00:00";
        }

        if (MediaJobTimeout < TimeSpan.FromMinutes(1) || MediaJobTimeout > TimeSpan.FromDays(7))
        {
            yield return $"{Section}:MediaJobTimeout must be between 00:01:00 and 7.00:00:00";
        }

        if (MediaJobStarts is < 1 or > 20)
        {
            yield return $"{Section}:MediaJobStarts must be between 1 and 20";
        }

        if (CompositionWaitTimeout < TimeSpan.FromMinutes(1) || CompositionWaitTimeout > TimeSpan.FromDays(7))
        {
            yield return $"{Section}:CompositionWaitTimeout must be between 00:01:00 and 7.00:00:00";
        }

        if (CompositionFirstCheckPause < TimeSpan.FromSeconds(1) || CompositionFirstCheckPause > TimeSpan.FromHours(1))
        {
            yield return $"{Section}:CompositionFirstCheckPause must be between 00:00:01 and 01:00:00";
        }

        if (CompositionWaitChecksPerExecution is < 1 or > 10_000)
        {
            yield return $"{Section}:CompositionWaitChecksPerExecution must be between 1 and 10000";
        }

        if (PresignedUrlLifetime < TimeSpan.FromMinutes(1) || PresignedUrlLifetime > TimeSpan.FromDays(7))
        {
            yield return $"{Section}:PresignedUrlLifetime must be between 00:01:00 and 7.00:00:00";
        }
    }
}
