namespace Recording.Functions.Recordings;

/// <summary>The answer to a stop request: accepted (202), no such recording (404) or already finished (409).</summary>
public enum StopOutcome
{
    Accepted,
    NotFound,
    AlreadyFinished,
}
