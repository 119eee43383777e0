using System.Globalization;
using System.Security.Cryptography;

namespace Recording.Functions.Notifications;

/// <summary>
/// For receivers: checks a Standard Webhooks delivery (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>) against the
/// endpoint's secret, refusing a forged or altered body and a timestamp more than <see cref="DefaultTolerance"/> away (replays).
/// </summary>
public sealed class WebhookVerifier
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private readonly byte[][] keys;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider clock;

    /// <param name="secrets">The endpoint's secret(s) ("whsec_..."); several while a secret is being rotated.</param>
    public WebhookVerifier(IEnumerable<string> secrets, TimeSpan? tolerance = null, TimeProvider? clock = null)
    {
        keys = [.. secrets.Select(WebhookSecret.Parse)];
        if (keys.Length == 0)
        {
            throw new ArgumentException("At least one secret is needed.", nameof(secrets));
        }

        this.tolerance = tolerance ?? DefaultTolerance;
        this.clock = clock ?? TimeProvider.System;
    }

    public WebhookVerifier(string secret, TimeSpan? tolerance = null, TimeProvider? clock = null)
        : this([secret], tolerance, clock)
    {
    }

    /// <summary>Throws <see cref="WebhookVerificationException"/> unless the delivery is authentic and fresh. <paramref name="header"/> looks a header up by name.</summary>
    public void Verify(Func<string, string?> header, ReadOnlySpan<byte> body)
    {
        var id = header(WebhookSignature.IdHeader);
        var timestampText = header(WebhookSignature.TimestampHeader);
        var signatures = header(WebhookSignature.SignatureHeader);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestampText) || string.IsNullOrEmpty(signatures))
        {
            throw new WebhookVerificationException("The webhook-id, webhook-timestamp and webhook-signature headers are required.");
        }

        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            throw new WebhookVerificationException("webhook-timestamp must be whole seconds since the Unix epoch.");
        }

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - timestamp) > (long)tolerance.TotalSeconds)
        {
            throw new WebhookVerificationException($"webhook-timestamp is more than {tolerance.TotalMinutes:0} minutes from now: refused as a possible replay.");
        }

        // The header may carry several space-separated signatures (the sender rotating secrets); one match is enough.
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!candidate.StartsWith(WebhookSignature.VersionPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            byte[] presented;
            try
            {
                presented = Convert.FromBase64String(candidate[WebhookSignature.VersionPrefix.Length..]);
            }
            catch (FormatException)
            {
                continue;
            }

            foreach (var key in keys)
            {
                if (CryptographicOperations.FixedTimeEquals(presented, WebhookSignature.Compute(id, timestamp, body, key)))
                {
                    return;
                }
            }
        }

        throw new WebhookVerificationException("No webhook-signature matches the body under this endpoint's secret.");
    }

    /// <summary>The same check without an exception: false with a reason when the delivery must be refused.</summary>
    public bool TryVerify(Func<string, string?> header, ReadOnlySpan<byte> body, out string? reason)
    {
        try
        {
            Verify(header, body);
            reason = null;
            return true;
        }
        catch (WebhookVerificationException ex)
        {
            reason = ex.Message;
            return false;
        }
    }
}
