using System.Diagnostics;
using System.Security.Cryptography;
using Recording.Storage.Destinations;
using Recording.Storage.Keys;
using Recording.Storage.Upload;

namespace Recording.Storage.Validation;

/// <summary>
/// "Validate config": writes a probe object under the destination's exact prefix, reads it back and compares,
/// starts and abandons a multipart upload, lists the prefix, deletes the probe. Each permission is reported
/// as ok or missing with the provider's error code; the probe is always deleted when it was written.
/// </summary>
public sealed class DestinationValidator(ValidationOptions? options = null)
{
    public const string Write = "write";
    public const string Read = "read";
    public const string Multipart = "multipart";
    public const string List = "list";
    public const string Delete = "delete";

    private readonly ValidationOptions options = options ?? new ValidationOptions();

    /// <summary>Validates settings first (a bad field is reported without touching the store), then probes the store.</summary>
    public async Task<ValidationReport> ValidateAsync(DestinationSettings settings, ISecretResolver? secrets = null, CancellationToken cancellationToken = default)
    {
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            return new ValidationReport(false, "invalid settings: " + string.Join("; ", errors), [], string.Empty, ProbeRemoved: true, TimeSpan.Zero);
        }

        IStorageDestination destination;
        try
        {
            destination = await StorageDestinationFactory.CreateAsync(settings, new UploadOptions { HttpHandler = options.HttpHandler }, secrets, cancellationToken: cancellationToken);
        }
        catch (DestinationSettingsException e)
        {
            return new ValidationReport(false, "invalid settings: " + e.Message, [], string.Empty, ProbeRemoved: true, TimeSpan.Zero);
        }

        using (destination)
        {
            var prefix = new ObjectKeyBuilder(settings.Prefix).Prefix(new ObjectKeyContext("validate-probe", DateTimeOffset.UtcNow));
            return await ValidateAsync(destination, prefix, cancellationToken);
        }
    }

    /// <summary>Probes <paramref name="destination"/> under <paramref name="prefix"/> (the expanded prefix, may be empty).</summary>
    public async Task<ValidationReport> ValidateAsync(IStorageDestination destination, string prefix, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.StartNew();
        var probeKey = (prefix.Length == 0 ? string.Empty : prefix.TrimEnd('/') + "/") + $".validate-probe-{Guid.NewGuid():N}.txt";
        ObjectKeySanitizer.Path("prefix", probeKey);
        var content = RandomNumberGenerator.GetBytes(64);
        var checks = new List<PermissionCheck>();

        var write = await CheckAsync(Write, token => destination.PutBytesAsync(probeKey, content, token), cancellationToken);
        checks.Add(write);
        var written = write.Status == PermissionStatus.Ok;

        checks.Add(written
            ? await CheckAsync(Read, async token =>
            {
                await using var stream = await destination.OpenReadAsync(probeKey, null, token);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, token);
                return copy.ToArray().AsSpan().SequenceEqual(content) ? null : ("ContentMismatch", "the probe read back differs from what was written");
            }, cancellationToken)
            : Skipped(Read));

        // An endpoint that did not answer the write will not answer the rest: say so at once instead of
        // waiting out a timeout per operation, so that the user hears back within one timeout.
        var unreachable = write.ErrorCode is ProviderError.EndpointUnreachable or ProviderError.Timeout;
        if (unreachable)
        {
            checks.Add(new PermissionCheck(Multipart, PermissionStatus.Skipped, null, "not tried: the endpoint did not answer the write", TimeSpan.Zero));
            checks.Add(new PermissionCheck(List, PermissionStatus.Skipped, null, "not tried: the endpoint did not answer the write", TimeSpan.Zero));
            checks.Add(Skipped(Delete));
            return new ValidationReport(false, Verdict(checks), checks, probeKey, ProbeRemoved: true, started.Elapsed);
        }

        checks.Add(await CheckAsync(Multipart, async token =>
        {
            var note = await destination.ProbeMultipartAsync(probeKey, token);
            return note is null ? null : (null, note);
        }, cancellationToken));

        checks.Add(written
            ? await CheckAsync(List, async token =>
            {
                await foreach (var item in destination.ListAsync(prefix.Length == 0 ? string.Empty : prefix.TrimEnd('/') + "/", token))
                {
                    if (item.Key == probeKey)
                    {
                        return null;
                    }
                }

                return ("ProbeNotListed", "listing the prefix did not show the probe object");
            }, cancellationToken)
            : await CheckAsync(List, async token =>
            {
                await foreach (var unused in destination.ListAsync(prefix, token))
                {
                    break;
                }
            }, cancellationToken));

        var removed = true;
        if (written)
        {
            // Always attempted once written, whatever else failed: the probe must not be left in the user's bucket.
            var delete = await CheckAsync(Delete, token => destination.DeleteAsync(probeKey, token), cancellationToken);
            checks.Add(delete);
            removed = delete.Status == PermissionStatus.Ok;
            if (removed && checks.Single(c => c.Permission == Read).Status == PermissionStatus.Ok)
            {
                try
                {
                    using var timeout = Timeout(cancellationToken);
                    removed = await destination.HeadAsync(probeKey, timeout.Token) is null;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Deleted by the store's word; a failing HEAD does not make it present.
                }
            }
        }
        else
        {
            checks.Add(Skipped(Delete));
        }

        return new ValidationReport(checks.All(c => c.Status == PermissionStatus.Ok), Verdict(checks), checks, probeKey, removed, started.Elapsed);
    }

    private static PermissionCheck Skipped(string permission) => new(permission, PermissionStatus.Skipped, null, "not tried: the probe could not be written", TimeSpan.Zero);

    private static string Verdict(List<PermissionCheck> checks)
    {
        if (checks.All(c => c.Status == PermissionStatus.Ok))
        {
            return "ok: write, read, multipart, list and delete all work";
        }

        var codes = checks.Where(c => c.ErrorCode is not null).Select(c => c.ErrorCode!).Distinct().ToList();
        var tried = checks.Where(c => c.Status != PermissionStatus.Skipped).ToList();
        if (codes.Count == 1 && tried.All(c => c.ErrorCode == codes[0]))
        {
            var reason = codes[0] switch
            {
                "SignatureDoesNotMatch" or "InvalidAccessKeyId" or "AuthenticationFailed" or "AuthorizationFailure" or "InvalidClientTokenId" => "credentials rejected",
                "NoSuchBucket" or "ContainerNotFound" => "bucket or container does not exist",
                ProviderError.EndpointUnreachable => "endpoint unreachable",
                ProviderError.Timeout => "endpoint did not answer in time",
                "FolderNotFound" => "folder does not exist",
                _ => "every operation failed",
            };
            return $"{reason} ({codes[0]})";
        }

        var missing = checks.Where(c => c.Status is PermissionStatus.Missing or PermissionStatus.Failed)
            .Select(c => $"{c.Permission} ({c.ErrorCode})");
        return "missing permission: " + string.Join(", ", missing);
    }

    private Task<PermissionCheck> CheckAsync(string permission, Func<CancellationToken, Task> operation, CancellationToken cancellationToken)
        => CheckAsync(permission, async token =>
        {
            await operation(token);
            return ((string? Code, string Detail)?)null;
        }, cancellationToken);

    private async Task<PermissionCheck> CheckAsync(string permission, Func<CancellationToken, Task<(string? Code, string Detail)?>> operation, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = Timeout(cancellationToken);
        try
        {
            var problem = await operation(timeout.Token);
            return problem is { Code: { } code } failed
                ? new PermissionCheck(permission, PermissionStatus.Failed, code, failed.Detail, watch.Elapsed)
                : new PermissionCheck(permission, PermissionStatus.Ok, null, problem?.Detail, watch.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !cancellationToken.IsCancellationRequested)
        {
            var (code, status) = ProviderError.Classify(e);
            // The provider's message is kept short and never includes request signing material.
            var detail = e is OperationCanceledException ? $"no answer within {options.OperationTimeout.TotalSeconds:0.#} s" : FirstLine(e.Message);
            return new PermissionCheck(permission, status, code, detail, watch.Elapsed);
        }
    }

    private CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(options.OperationTimeout);
        return source;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0];
        return line.Length > 200 ? line[..200] : line;
    }
}
