using System.Text;
using System.Text.Json;
using Azure.Core;

namespace Recording.TestSupport;

/// <summary>
/// Bearer tokens shaped as Microsoft Entra ID issues them to a managed identity (issuer, audience, lifetime), but unsigned:
/// what Azurite's <c>--oauth basic</c> checks. Counts the tokens asked for, so a test can tell that its client used them.
/// </summary>
public sealed class UnsignedTokenCredential(string audience = UnsignedTokenCredential.StorageAudience) : TokenCredential
{
    public const string StorageAudience = "https://storage.azure.com";

    private int issued;

    public int Issued => Volatile.Read(ref issued);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref issued);
        var now = DateTimeOffset.UtcNow;
        var expires = now.AddHours(1);
        var claims = new Dictionary<string, object>
        {
            ["aud"] = audience,
            ["iss"] = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/",
            ["iat"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["oid"] = "0b7f5f1c-3f4e-4f57-9d1c-6d0c6e0e0a11",
        };
        var token = $"{Part(new { alg = "RS256", typ = "JWT" })}.{Part(claims)}.{Base64Url("unsigned"u8.ToArray())}";
        return new AccessToken(token, expires);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => ValueTask.FromResult(GetToken(requestContext, cancellationToken));

    private static string Part(object value) => Base64Url(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
