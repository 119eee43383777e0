namespace Recording.Functions.Notifications;

/// <summary>How a delivery target is named in logs: scheme, host and path only, since query strings often carry tokens.</summary>
public static class DeliveryTargets
{
    public static string Describe(Uri url) => url.GetLeftPart(UriPartial.Path);
}
