namespace Recording.Functions.Notifications;

/// <summary>
/// The hosts of Azure Event Grid (topics and namespaces, public and sovereign clouds). The service's managed identity
/// signs in only to these: an endpoint elsewhere would be handed a bearer token for Event Grid that the identity holds,
/// good for publishing to the deployment's own topic.
/// </summary>
public static class EventGridEndpoints
{
    private static readonly string[] HostSuffixes = [".eventgrid.azure.net", ".eventgrid.azure.us", ".eventgrid.chinacloudapi.cn"];

    public const string Rule = "must be an Azure Event Grid endpoint (https://<topic>.<region>-1.eventgrid.azure.net/api/events) when no accessKey is given: the managed identity signs in only there";

    public static bool IsAzureEventGrid(Uri endpoint)
        => endpoint.Scheme == Uri.UriSchemeHttps && HostSuffixes.Any(s => endpoint.IdnHost.EndsWith(s, StringComparison.OrdinalIgnoreCase));
}
