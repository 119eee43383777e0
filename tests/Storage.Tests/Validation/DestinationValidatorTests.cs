using Recording.Storage.Destinations;
using Recording.Storage.Local;
using Recording.Storage.S3;
using Recording.Storage.Tests.Faults;
using Recording.Storage.Tests.Support;
using Recording.Storage.Validation;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Storage.Tests.Validation;

/// <summary>"Validate config" against real s3rver (through the fault proxy where a refusal is needed), Azurite and a folder.</summary>
public sealed class DestinationValidatorTests(S3rverFixture s3, AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<S3rverFixture>, IClassFixture<AzuriteFixture>
{
    private static readonly string[] Permissions = [DestinationValidator.Write, DestinationValidator.Read, DestinationValidator.Multipart, DestinationValidator.List, DestinationValidator.Delete];

    // The product's 2 s per operation is for a quick answer to a user; here, beside the other test classes on 2 cores, a
    // LIST once took longer and read as a failed permission. Timing out is tested on its own (S3_EndpointThatNeverAnswers_...).
    private readonly DestinationValidator validator = new(new ValidationOptions { OperationTimeout = TimeSpan.FromSeconds(15) });

    [Fact]
    public async Task S3_GoodSettings_AllPermissionsOk_AndNoProbeRemains()
    {
        var report = await validator.ValidateAsync(s3.Settings());

        // The 5 s answer time is measured, not asserted (no wall-clock assertions in tests): see the test output.
        output.WriteLine($"s3rver validation answered in {report.Elapsed.TotalMilliseconds:0} ms: " + string.Join(", ", report.Checks.Select(c => $"{c.Permission} {c.Elapsed.TotalMilliseconds:0} ms")));
        Assert.True(report.Ok, report.Verdict);
        Assert.All(Permissions, p => Assert.Equal(PermissionStatus.Ok, report[p].Status));
        Assert.StartsWith("tenant-a/", report.ProbeKey, StringComparison.Ordinal);
        Assert.True(report.ProbeRemoved);
        Assert.Empty(await ProbesLeftAsync());
    }

    [Fact]
    public async Task S3_GoodSettingsThroughSignatureCheckingProxy_AllOk()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        proxy.VerifySignaturesWithSecret = S3rverServer.SecretKey;

        var report = await validator.ValidateAsync(s3.Settings(endpoint: proxy.Endpoint));

        Assert.True(report.Ok, report.Verdict);
    }

    [Fact]
    public async Task S3_WrongAccessKeyId_IsReportedAsRejectedCredentials()
    {
        var report = await validator.ValidateAsync(s3.Settings() with { AccessKeyId = "NOT-A-KEY" });

        Assert.False(report.Ok);
        Assert.Equal("InvalidAccessKeyId", report[DestinationValidator.Write].ErrorCode);
        Assert.Contains("credentials rejected", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_WrongSecret_IsReportedAsRejectedCredentials()
    {
        // s3rver does not check SigV4 signatures, so the proxy in front of it does, as S3 would.
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        proxy.VerifySignaturesWithSecret = S3rverServer.SecretKey;

        var report = await validator.ValidateAsync(s3.Settings(endpoint: proxy.Endpoint, secret: "not-the-secret"));

        Assert.False(report.Ok);
        Assert.Equal(PermissionStatus.Missing, report[DestinationValidator.Write].Status);
        Assert.Equal("SignatureDoesNotMatch", report[DestinationValidator.Write].ErrorCode);
        Assert.Contains("credentials rejected", report.Verdict, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", report.ToString(), StringComparison.Ordinal);
        Assert.Empty(await ProbesLeftAsync());
    }

    [Fact]
    public async Task S3_MissingBucket_IsReportedByName()
    {
        var report = await validator.ValidateAsync(s3.Settings(bucket: "no-such-bucket"));

        Assert.False(report.Ok);
        Assert.Equal("NoSuchBucket", report[DestinationValidator.Write].ErrorCode);
        Assert.Contains("does not exist (NoSuchBucket)", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_WrongEndpoint_IsReportedAsUnreachable()
    {
        var report = await validator.ValidateAsync(s3.Settings(endpoint: $"http://127.0.0.1:{FreePort.Next()}"));

        Assert.False(report.Ok);
        Assert.Equal(ProviderError.EndpointUnreachable, report[DestinationValidator.Write].ErrorCode);
        Assert.Equal(PermissionStatus.Failed, report[DestinationValidator.Write].Status);
        Assert.Contains("endpoint unreachable", report.Verdict, StringComparison.Ordinal);
        Assert.Equal(PermissionStatus.Skipped, report[DestinationValidator.List].Status);
    }

    [Fact]
    public async Task S3_EndpointThatNeverAnswers_TimesOutPerOperation()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var quick = new DestinationValidator(new ValidationOptions { OperationTimeout = TimeSpan.FromMilliseconds(300) });

        var report = await quick.ValidateAsync(s3.Settings(endpoint: $"http://127.0.0.1:{port}"));

        Assert.False(report.Ok);
        Assert.Equal(ProviderError.Timeout, report[DestinationValidator.Write].ErrorCode);
        Assert.Contains("did not answer in time", report.Verdict, StringComparison.Ordinal);
        // One timeout, not one per operation: the rest are not tried against a silent endpoint.
        Assert.All([DestinationValidator.Multipart, DestinationValidator.List, DestinationValidator.Delete],
            p => Assert.Equal(PermissionStatus.Skipped, report[p].Status));
    }

    [Theory]
    [InlineData("ListObjects", DestinationValidator.List)]
    [InlineData("GetObject", DestinationValidator.Read)]
    [InlineData("CreateMultipartUpload", DestinationValidator.Multipart)]
    public async Task S3_DeniedOperation_IsReportedAsThatMissingPermission(string operation, string permission)
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        proxy.DeniedOperation = operation;

        var report = await validator.ValidateAsync(s3.Settings(endpoint: proxy.Endpoint));

        Assert.False(report.Ok);
        Assert.Equal(PermissionStatus.Missing, report[permission].Status);
        Assert.Equal("AccessDenied", report[permission].ErrorCode);
        Assert.All(Permissions.Where(p => p != permission), p => Assert.True(report[p].Status == PermissionStatus.Ok, $"{p}: {report[p]}"));
        Assert.Equal($"missing permission: {permission} (AccessDenied)", report.Verdict);
        Assert.True(report.ProbeRemoved);
        Assert.Empty(await ProbesLeftAsync());
    }

    [Fact]
    public async Task S3_DeniedDelete_IsReported_AndTheProbeLeftBehindIsNamed()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        proxy.DeniedOperation = "DeleteObject";

        var report = await validator.ValidateAsync(s3.Settings(endpoint: proxy.Endpoint));

        Assert.Equal(PermissionStatus.Missing, report[DestinationValidator.Delete].Status);
        Assert.Equal("AccessDenied", report[DestinationValidator.Delete].ErrorCode);
        Assert.Equal("missing permission: delete (AccessDenied)", report.Verdict);
        Assert.False(report.ProbeRemoved);
        Assert.Equal([report.ProbeKey], await ProbesLeftAsync());
        using var direct = await s3.DestinationAsync();
        await direct.DeleteAsync(report.ProbeLeftBehind!);
    }

    [Fact]
    public async Task InvalidSettings_AreReportedWithoutTouchingTheStore()
    {
        var report = await validator.ValidateAsync(s3.Settings() with { Bucket = "UPPER" });

        Assert.False(report.Ok);
        Assert.Contains("bucket: rule 'bucket-name'", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blob_GoodSettings_AllOk_WrongKeyAndMissingContainerReportedByName()
    {
        var good = await validator.ValidateAsync(azurite.Settings());
        output.WriteLine($"Azurite validation answered in {good.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(good.Ok, good.Verdict);
        Assert.All(Permissions, p => Assert.Equal(PermissionStatus.Ok, good[p].Status));
        Assert.True(good.ProbeRemoved);

        var wrongKey = await validator.ValidateAsync(azurite.Settings(accountKey: Convert.ToBase64String(new byte[64])));
        Assert.False(wrongKey.Ok);
        Assert.Equal(PermissionStatus.Missing, wrongKey[DestinationValidator.Write].Status);
        Assert.Contains("credentials rejected", wrongKey.Verdict, StringComparison.Ordinal);

        var missing = await validator.ValidateAsync(azurite.Settings(container: "no-such-container"));
        Assert.Equal("ContainerNotFound", missing[DestinationValidator.Write].ErrorCode);

        using var blob = await azurite.DestinationAsync();
        await foreach (var item in blob.ListAsync("tenant-b/"))
        {
            Assert.DoesNotContain(".validate-probe-", item.Key, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("ListBlobs", DestinationValidator.List)]
    [InlineData("GetBlob", DestinationValidator.Read)]
    [InlineData("PutBlock", DestinationValidator.Multipart)]
    public async Task Blob_DeniedOperation_IsReportedAsThatMissingPermission(string operation, string permission)
    {
        await using var proxy = FaultInjectingProxy.Start(azurite.BlobEndpoint);
        proxy.DeniedOperation = operation;

        var report = await validator.ValidateAsync(azurite.Settings(blobEndpoint: proxy.Endpoint));

        Assert.False(report.Ok);
        Assert.Equal(PermissionStatus.Missing, report[permission].Status);
        Assert.Equal("AuthorizationPermissionMismatch", report[permission].ErrorCode);
        Assert.All(Permissions.Where(p => p != permission), p => Assert.Equal(PermissionStatus.Ok, report[p].Status));
        Assert.Equal($"missing permission: {permission} (AuthorizationPermissionMismatch)", report.Verdict);
        Assert.True(report.ProbeRemoved);
        Assert.Equal(1, proxy.Count("DeleteBlob"));
    }

    [Fact]
    public async Task Blob_WrongEndpoint_IsReportedAsUnreachable()
    {
        var report = await validator.ValidateAsync(azurite.Settings(blobEndpoint: $"http://127.0.0.1:{FreePort.Next()}"));

        Assert.False(report.Ok);
        Assert.Equal(ProviderError.EndpointUnreachable, report[DestinationValidator.Write].ErrorCode);
        Assert.Contains("endpoint unreachable", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalFolder_GoodFolderOk_MissingFolderReported()
    {
        var root = Directory.CreateTempSubdirectory("validate-local-").FullName;
        try
        {
            var good = await validator.ValidateAsync(new LocalFolderDestinationSettings { Path = root, Prefix = "p" });
            Assert.True(good.Ok, good.Verdict);
            Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));

            var missing = await validator.ValidateAsync(new LocalFolderDestinationSettings { Path = Path.Combine(root, "absent") });
            Assert.False(missing.Ok);
            Assert.Equal("FolderNotFound", missing[DestinationValidator.Write].ErrorCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private async Task<List<string>> ProbesLeftAsync()
    {
        using var direct = await s3.DestinationAsync();
        var keys = new List<string>();
        await foreach (var item in direct.ListAsync(string.Empty))
        {
            if (item.Key.Contains(".validate-probe-", StringComparison.Ordinal))
            {
                keys.Add(item.Key);
            }
        }

        return keys;
    }
}
