using System.Text;
using Recording.Functions.Notifications;

namespace Recording.Functions.Tests.Notifications;

/// <summary>The receivers' verifier: the Standard Webhooks test vector, forged signatures, altered bodies, stale timestamps, rotation.</summary>
public sealed class WebhookVerifierTests
{
    // The example from the Standard Webhooks specification and its reference libraries.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = "{\"test\": 2432232314}";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static Func<string, string?> Headers(string id, long timestamp, string signature) => name => name switch
    {
        WebhookSignature.IdHeader => id,
        WebhookSignature.TimestampHeader => timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        WebhookSignature.SignatureHeader => signature,
        _ => null,
    };

    [Fact]
    public void Sign_MatchesTheSpecificationExample()
    {
        Assert.Equal(SpecSignature, WebhookSignature.Sign(SpecId, SpecTimestamp, Encoding.UTF8.GetBytes(SpecBody), SpecSecret));
    }

    [Fact]
    public void Verify_AcceptsTheSpecificationExample_AtItsTime()
    {
        var verifier = new WebhookVerifier(SpecSecret, clock: new FixedClock(DateTimeOffset.FromUnixTimeSeconds(SpecTimestamp + 60)));

        verifier.Verify(Headers(SpecId, SpecTimestamp, SpecSignature), Encoding.UTF8.GetBytes(SpecBody));
    }

    [Fact]
    public void Verify_RefusesAForgedSignature()
    {
        var secret = WebhookSecret.Create();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes("{\"type\":\"recording.completed\"}");
        var forged = WebhookSignature.Sign("evt-1", now, body, WebhookSecret.Create());

        var failure = Assert.Throws<WebhookVerificationException>(() => new WebhookVerifier(secret).Verify(Headers("evt-1", now, forged), body));

        Assert.Contains("No webhook-signature matches", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RefusesAnAlteredBodyOrId()
    {
        var secret = WebhookSecret.Create();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes("{\"size\":100}");
        var signature = WebhookSignature.Sign("evt-1", now, body, secret);
        var verifier = new WebhookVerifier(secret);

        Assert.True(verifier.TryVerify(Headers("evt-1", now, signature), body, out _));
        Assert.False(verifier.TryVerify(Headers("evt-1", now, signature), Encoding.UTF8.GetBytes("{\"size\":999}"), out _));
        Assert.False(verifier.TryVerify(Headers("evt-2", now, signature), body, out _));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(-3600)]
    [InlineData(301)]
    public void Verify_RefusesATimestampMoreThanFiveMinutesAway_EvenWithAValidSignature(int offsetSeconds)
    {
        var secret = WebhookSecret.Create();
        var then = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + offsetSeconds;
        var body = Encoding.UTF8.GetBytes("{}");
        var signature = WebhookSignature.Sign("evt-1", then, body, secret);

        var failure = Assert.Throws<WebhookVerificationException>(() => new WebhookVerifier(secret).Verify(Headers("evt-1", then, signature), body));

        Assert.Contains("possible replay", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AcceptsAnyOfSeveralSignatures_DuringSecretRotation()
    {
        var (oldSecret, newSecret) = (WebhookSecret.Create(), WebhookSecret.Create());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = Encoding.UTF8.GetBytes("{}");
        var both = WebhookSignature.Sign("evt-1", now, body, oldSecret) + " " + WebhookSignature.Sign("evt-1", now, body, newSecret);

        new WebhookVerifier(newSecret).Verify(Headers("evt-1", now, both), body);
    }

    [Fact]
    public void Verify_RefusesMissingHeaders()
    {
        Assert.Throws<WebhookVerificationException>(() => new WebhookVerifier(WebhookSecret.Create()).Verify(_ => null, []));
    }
}
