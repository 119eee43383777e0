namespace Recording.Functions.Recordings;

/// <summary>The Durable-style management URIs answered on start (and stop): where to poll, stop, terminate and purge. They never carry a key.</summary>
public sealed record RecordingManagementLinks(
    string Id,
    bool Created,
    Uri StatusQueryGetUri,
    Uri StopPostUri,
    Uri TerminatePostUri,
    Uri PurgeHistoryDeleteUri)
{
    public static RecordingManagementLinks For(Uri baseUrl, string id, bool created)
    {
        var escaped = Uri.EscapeDataString(id);
        Uri At(string relative) => new(baseUrl, relative);
        return new RecordingManagementLinks(
            id,
            created,
            At($"api/recordings/{escaped}"),
            At($"api/recordings/{escaped}/stop"),
            At($"api/recordings/{escaped}/stop?mode=terminate"),
            At($"api/recordings/{escaped}?deleteAssets=false"));
    }
}
