using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Recording.Functions.Notifications;

/// <summary>Standard Webhooks signing: <c>v1,</c> + base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}" under the endpoint's secret.</summary>
public static class WebhookSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
    public const string VersionPrefix = "v1,";

    public static string Sign(string id, long unixTimestamp, ReadOnlySpan<byte> body, string secret) =>
        VersionPrefix + Convert.ToBase64String(Compute(id, unixTimestamp, body, WebhookSecret.Parse(secret)));

    internal static byte[] Compute(string id, long unixTimestamp, ReadOnlySpan<byte> body, byte[] key)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{unixTimestamp.ToString(CultureInfo.InvariantCulture)}.");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, signed);
    }
}
