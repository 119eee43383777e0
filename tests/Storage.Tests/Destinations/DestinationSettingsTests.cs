using System.Text.Json;
using Recording.Storage.Destinations;
using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Destinations;

/// <summary>Settings: polymorphic JSON, secrets never written back out, errors that name field and rule.</summary>
public sealed class DestinationSettingsTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void S3Settings_ReadFromJson_NeverWriteTheSecretBack()
    {
        const string input = """
            {"kind":"s3","bucket":"my-recordings","region":"eu-west-1","prefix":"acme/{recordingId}",
             "accessKeyId":"AKIAEXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","sessionToken":"FwoGZXIvYXdzEXAMPLETOKEN"}
            """;

        var settings = Assert.IsType<S3DestinationSettings>(JsonSerializer.Deserialize<DestinationSettings>(input, Json));
        var output = JsonSerializer.Serialize<DestinationSettings>(settings, Json);

        Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", settings.SecretAccessKey!.Reveal());
        Assert.DoesNotContain("wJalrXUtnFEMI", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FwoGZXIvYXdzEXAMPLETOKEN", output, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMI", settings.SecretAccessKey.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"s3\"", output, StringComparison.Ordinal);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void AzureBlobSettings_ConnectionStringIsNeverWrittenBack()
    {
        const string input = """{"kind":"azureBlob","container":"recordings","connectionString":"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=SECRETKEY=="}""";

        var settings = Assert.IsType<AzureBlobDestinationSettings>(JsonSerializer.Deserialize<DestinationSettings>(input, Json));
        var output = JsonSerializer.Serialize<DestinationSettings>(settings, Json);

        Assert.DoesNotContain("SECRETKEY", output, StringComparison.Ordinal);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void S3Settings_ReportEveryBrokenFieldWithItsRule()
    {
        var settings = new S3DestinationSettings { Bucket = "Bad_Bucket", Endpoint = new Uri("ftp://x/"), AccessKeyId = "AKIA", Prefix = "../escape" };

        var errors = settings.Validate();

        Assert.Contains(errors, e => e is { Field: "bucket", Rule: "bucket-name" });
        Assert.Contains(errors, e => e is { Field: "endpoint", Rule: "absolute-http-uri" });
        Assert.Contains(errors, e => e is { Field: "secretAccessKey", Rule: "required" });
        Assert.Contains(errors, e => e is { Field: "prefix", Rule: "no-parent-segments" });
        var thrown = Assert.Throws<DestinationSettingsException>(settings.EnsureValid);
        Assert.Contains("bucket: rule 'bucket-name'", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChunkEncoding_DefaultsOffForCustomEndpoints_AndOnForAws()
    {
        Assert.False(new S3DestinationSettings { Bucket = "b-1", Endpoint = new Uri("http://127.0.0.1:9000") }.EffectiveChunkEncoding);
        Assert.True(new S3DestinationSettings { Bucket = "b-1", Region = "eu-west-1" }.EffectiveChunkEncoding);
        Assert.True(new S3DestinationSettings { Bucket = "b-1", Endpoint = new Uri("http://127.0.0.1:9000"), ChunkEncoding = true }.EffectiveChunkEncoding);
    }

    [Fact]
    public async Task SecretReference_ResolvesFromEnvironment_AndRefusesUnknownSchemes()
    {
        var name = "STORAGE_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(name, "s3cr3t");
        try
        {
            var resolved = await new SecretResolver().ResolveAsync(SecretReference.Parse("env:" + name), "secretAccessKeyReference");
            Assert.Equal("s3cr3t", resolved.Reveal());
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        var missing = await Assert.ThrowsAsync<DestinationSettingsException>(() => new SecretResolver().ResolveAsync(SecretReference.Parse("env:" + name), "secretAccessKeyReference"));
        Assert.Contains(missing.Errors, e => e is { Field: "secretAccessKeyReference", Rule: "secret-resolvable" });
        var keyVault = SecretReference.Parse("keyvault:https://vault.vault.azure.net/secrets/s3");
        await Assert.ThrowsAsync<DestinationSettingsException>(() => new SecretResolver().ResolveAsync(keyVault, "f"));
        Assert.Equal("from-vault", (await new SecretResolver(new FixedResolver("from-vault")).ResolveAsync(keyVault, "f")).Reveal());
        var bad = Assert.Throws<DestinationSettingsException>(() => SecretReference.Parse("file:/etc/shadow"));
        Assert.Contains(bad.Errors, e => e.Rule == "secret-reference-format");
    }

    [Fact]
    public void UploadOptions_RefusePartSizesOutside8To64MiB()
    {
        var tooSmall = Assert.Throws<ArgumentOutOfRangeException>(() => new UploadOptions { PartSize = 5 * UploadOptions.MiB }.Validate());
        Assert.Contains("partSize: rule 'range'", tooSmall.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new UploadOptions { PartSize = 65 * UploadOptions.MiB }.Validate());
        Assert.Equal(13, new UploadOptions { PartSize = 16 * UploadOptions.MiB }.Validate().PartCount(200 * UploadOptions.MiB));
    }

    [Fact]
    public void UploadOptions_RaiseThePartSizeForAFileTooLargeForTenThousandParts()
    {
        const long GiB = 1024 * UploadOptions.MiB;
        var options = new UploadOptions { PartSize = 16 * UploadOptions.MiB }.Validate();

        // Up to 10,000 parts of 16 MiB the configured size holds.
        Assert.Equal(16 * UploadOptions.MiB, options.PartSizeFor(10_000 * 16 * UploadOptions.MiB));
        Assert.Equal(10_000, options.PartCount(10_000 * 16 * UploadOptions.MiB));

        // A 200 GiB composite of a long 4K recording: whole MiB parts, the fewest that fit.
        Assert.Equal(21 * UploadOptions.MiB, options.PartSizeFor(200 * GiB));
        Assert.Equal(9753, options.PartCount(200 * GiB));
        Assert.Equal(17 * UploadOptions.MiB, options.PartSizeFor((10_000 * 16 * UploadOptions.MiB) + 1));

        // Past 10,000 parts of S3's largest part there is no size that fits.
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>(() => options.PartSizeFor((10_000 * UploadOptions.MaxPartSize) + 1));
        Assert.Contains("file: rule 'max-size'", tooLarge.Message, StringComparison.Ordinal);
    }

    private sealed class FixedResolver(string value) : ISecretResolver
    {
        public Task<Secret> ResolveAsync(SecretReference reference, string field, CancellationToken cancellationToken = default) => Task.FromResult(new Secret(value));
    }
}
