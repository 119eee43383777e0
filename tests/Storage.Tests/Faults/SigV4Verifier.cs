using System.Collections.Specialized;
using System.Security.Cryptography;
using System.Text;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// Checks an AWS Signature V4 Authorization header against a known secret. s3rver 3.7 checks only the access
/// key id and accepts any SigV4 signature, so the proxy uses this to answer SignatureDoesNotMatch as S3 would.
/// Covers header-signed requests with a payload hash in x-amz-content-sha256 (what AWSSDK sends).
/// </summary>
public static class SigV4Verifier
{
    public static bool IsValid(string method, string rawUrl, NameValueCollection headers, string secretKey)
    {
        var authorization = headers["Authorization"];
        if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return true; // anonymous or another scheme: not ours to judge
        }

        var fields = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var scope = fields["Credential"].Split('/', 2)[1]; // date/region/service/aws4_request
        var signedHeaders = fields["SignedHeaders"].Split(';');
        var path = rawUrl.Split('?', 2)[0];
        var query = rawUrl.Contains('?', StringComparison.Ordinal) ? rawUrl.Split('?', 2)[1] : string.Empty;
        var canonicalQuery = string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=', StringComparison.Ordinal) ? p : p + "=")
            .Select(p => (Name: Uri.EscapeDataString(Uri.UnescapeDataString(p.Split('=', 2)[0])), Value: Uri.EscapeDataString(Uri.UnescapeDataString(p.Split('=', 2)[1]))))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
        var canonicalHeaders = string.Concat(signedHeaders.Select(h => h + ":" + string.Join(',', (headers.GetValues(h) ?? []).Select(Normalize)) + "\n"));
        var payloadHash = headers["x-amz-content-sha256"] ?? "UNSIGNED-PAYLOAD";
        var canonicalRequest = string.Join('\n', method, path, canonicalQuery, canonicalHeaders, fields["SignedHeaders"], payloadHash);
        var stringToSign = string.Join('\n', "AWS4-HMAC-SHA256", headers["x-amz-date"], scope,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var parts = scope.Split('/');
        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in parts)
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(fields["Signature"]));
    }

    private static string Normalize(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
