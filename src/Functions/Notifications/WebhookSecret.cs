namespace Recording.Functions.Notifications;

/// <summary>A Standard Webhooks signing secret: "whsec_" followed by base64 of 24 to 64 random bytes.</summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    public static bool TryParse(string text, out byte[] key)
    {
        key = [];
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(text[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return key.Length is >= 24 and <= 64;
    }

    public static byte[] Parse(string text) =>
        TryParse(text, out var key) ? key : throw new ArgumentException("A webhook secret must be \"whsec_\" followed by base64 of 24 to 64 bytes.", nameof(text));

    /// <summary>Makes a fresh secret for a new endpoint.</summary>
    public static string Create() => Prefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
