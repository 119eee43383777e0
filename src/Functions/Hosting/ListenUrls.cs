using System.Globalization;

namespace Recording.Functions.Hosting;

/// <summary>Decides where Kestrel listens: under the Azure Functions host on FUNCTIONS_CUSTOMHANDLER_PORT, else <c>--urls</c>, else <c>Recording:Http:Urls</c>.</summary>
public static class ListenUrls
{
    /// <summary>Set by the Functions host for a custom handler: the port it forwards requests to.</summary>
    public const string CustomHandlerPortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static string Resolve(IConfiguration configuration)
    {
        var port = configuration[CustomHandlerPortSetting];
        if (!string.IsNullOrEmpty(port))
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                throw new InvalidOperationException($"{CustomHandlerPortSetting} must be a TCP port between 1 and 65535.");
            }

            // The host talks to its handler over loopback only.
            return $"http://127.0.0.1:{number}";
        }

        return configuration["urls"] is { Length: > 0 } urls ? urls : configuration[$"{HttpHostingOptions.Section}:Urls"] is { Length: > 0 } configured ? configured : HttpHostingOptions.DefaultUrls;
    }
}
