using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Recording.TestSupport;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// A real loopback HTTP proxy in front of s3rver or Azurite that injects the faults those servers cannot
/// produce: 500 / 503 SlowDown answers, dropped connections (before the request reaches the server, or
/// after, so that the answer is lost), and 403 AccessDenied for one chosen operation. It counts requests
/// per operation and per part number so tests can prove what was (not) sent. Seeded, so runs repeat.
/// The Host header is forwarded unchanged, so SigV4 signatures made for the proxy's address stay valid.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Expect", "Proxy-Connection", "TE", "Trailer", "Upgrade",
    };

    private readonly HttpListener listener = new();
    private readonly HttpClient upstreamClient;
    private readonly Uri upstream;
    private readonly Random random;
    private readonly object gate = new();
    private readonly ConcurrentDictionary<string, int> counts = new();
    private readonly ConcurrentQueue<int> partNumbers = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly OpaqueETags kmsETags = new();
    private readonly Task loop;
    private int injected;
    private int uploadPartsPassed;
    private int held;

    private FaultInjectingProxy(Uri upstream, int seed)
    {
        this.upstream = upstream;
        random = new Random(seed);
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        upstreamClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 64 })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Fraction of requests answered 500 InternalError or 503 SlowDown without reaching the server.</summary>
    public double FailureRate { get; set; }

    /// <summary>Fraction of connections dropped (half before forwarding, half after the server answered).</summary>
    public double DropRate { get; set; }

    /// <summary>Operation answered 403 AccessDenied (e.g. "ListObjects", "DeleteObject"); null for none.</summary>
    public string? DeniedOperation { get; set; }

    /// <summary>
    /// When set, whole-object GetObject answers carry this ETag instead of the store's: a store whose ETags are not an MD5
    /// in hex (s3rver once answered an empty one under load, which the AWS SDK cannot parse).
    /// </summary>
    public string? GetObjectETag { get; set; }

    /// <summary>
    /// When set, the store looks like a bucket with SSE-KMS default encryption, which s3rver cannot be: answers carry
    /// x-amz-server-side-encryption: aws:kms, and every ETag (headers, ListParts and CompleteMultipartUpload bodies) is
    /// replaced by a stable one that is not the MD5 of the bytes, as S3 documents for SSE-KMS. ETags the client sends
    /// back (If-Match, the part list of a Complete) are mapped to s3rver's own on the way in.
    /// </summary>
    public bool EmulateKmsEncryption { get; set; }

    /// <summary>When set, SigV4 signatures are checked against this secret and a mismatch is answered 403 SignatureDoesNotMatch (s3rver does not check them).</summary>
    public string? VerifySignaturesWithSecret { get; set; }

    /// <summary>
    /// s3rver answers UploadPartCopy with NotImplemented. When set, the proxy performs it the way S3 does, against
    /// s3rver itself: a ranged GET of the source and an UploadPart of those bytes, answered with a CopyPartResult.
    /// The client's side of the exchange is S3's; this is the one place a test adds a capability rather than a fault.
    /// </summary>
    public bool EmulateUploadPartCopy { get; set; }

    /// <summary>
    /// s3rver has no ListParts either. When set, the proxy answers it from this listing, which it tells of every part it
    /// forwards and the store accepts; set it before the upload's first part.
    /// </summary>
    public EmulatedPartListing? PartListing { get; set; }

    /// <summary>When set, ListObjects goes to the store in small pages, paged wrongly on the way back if it says so.</summary>
    public ObjectListingPaging? ObjectListing { get; set; }

    /// <summary>
    /// When set, UploadPart / PutBlock requests after the first N are held without an answer (their bodies stay
    /// unread) until the proxy is disposed: an uploader killed then has parts truly in flight.
    /// </summary>
    public int? HoldUploadPartsAfter { get; set; }

    /// <summary>UploadPart / PutBlock requests held so far by <see cref="HoldUploadPartsAfter"/>.</summary>
    public int Held => Volatile.Read(ref held);

    /// <summary>Faults injected so far.</summary>
    public int Injected => Volatile.Read(ref injected);

    /// <summary>Starts a proxy forwarding to <paramref name="upstream"/> (e.g. s3rver's endpoint).</summary>
    public static FaultInjectingProxy Start(string upstream, int seed = 12345) => new(new Uri(upstream), seed);

    /// <summary>Requests seen for an operation name (every attempt, faulted or not).</summary>
    public int Count(string operation) => counts.TryGetValue(operation, out var n) ? n : 0;

    /// <summary>Part numbers of every UploadPart / PutBlock request seen, in arrival order.</summary>
    public IReadOnlyList<int> PartNumbersSeen => partNumbers.ToArray();

    public void ResetCounts()
    {
        counts.Clear();
        partNumbers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        upstreamClient.Dispose();
        stopping.Dispose();
    }

    /// <summary>S3 (or Blob, when the request carries x-ms-version) operation name from method and query.</summary>
    public static string Classify(string method, Uri url, bool isBlob)
    {
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        bool Has(string name) => query.AllKeys.Contains(name) || url.Query.Contains(name + "=", StringComparison.Ordinal)
            || url.Query.TrimStart('?').Split('&').Contains(name);
        var segments = url.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (isBlob)
        {
            var comp = query["comp"];
            return (method, comp) switch
            {
                ("PUT", "block") => "PutBlock",
                ("PUT", "blocklist") => "PutBlockList",
                ("GET", "blocklist") => "GetBlockList",
                ("GET", "list") => "ListBlobs",
                ("PUT", null) => "PutBlob",
                ("GET", null) => "GetBlob",
                ("HEAD", null) => "GetBlobProperties",
                ("DELETE", null) => "DeleteBlob",
                _ => method + ":" + comp,
            };
        }

        var onBucket = segments.Length <= 1;
        return method switch
        {
            "PUT" when Has("partNumber") && Has("uploadId") => "UploadPart",
            "PUT" => "PutObject",
            "POST" when Has("uploads") => "CreateMultipartUpload",
            "POST" when Has("uploadId") => "CompleteMultipartUpload",
            "POST" when Has("delete") => "DeleteObjects",
            "DELETE" when Has("uploadId") => "AbortMultipartUpload",
            "DELETE" => "DeleteObject",
            "GET" when onBucket => "ListObjects",
            "GET" when Has("uploadId") => "ListParts",
            "GET" => "GetObject",
            "HEAD" when onBucket => "HeadBucket",
            "HEAD" => "HeadObject",
            _ => method,
        };
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var isBlob = request.Headers["x-ms-version"] is not null;
            var operation = Classify(request.HttpMethod, request.Url!, isBlob);
            if (operation == "UploadPart" && request.Headers["x-amz-copy-source"] is not null)
            {
                operation = "UploadPartCopy";
            }

            counts.AddOrUpdate(operation, 1, (_, n) => n + 1);
            var query = System.Web.HttpUtility.ParseQueryString(request.Url!.Query);
            if (operation is "UploadPart" && int.TryParse(query["partNumber"], out var part))
            {
                partNumbers.Enqueue(part);
            }
            else if (operation is "PutBlock" && query["blockid"] is { } blockId)
            {
                partNumbers.Enqueue(BlockNumber(blockId));
            }

            if (operation is "UploadPart" or "PutBlock" && HoldUploadPartsAfter is { } passing && Interlocked.Increment(ref uploadPartsPassed) > passing)
            {
                Interlocked.Increment(ref held);
                await Task.Delay(Timeout.Infinite, stopping.Token);
            }

            if (!isBlob && VerifySignaturesWithSecret is { } secret && !SigV4Verifier.IsValid(request.HttpMethod, request.RawUrl!, request.Headers, secret))
            {
                await DrainAsync(request);
                await AnswerErrorAsync(response, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
                return;
            }

            if (operation == DeniedOperation)
            {
                await DrainAsync(request);
                Interlocked.Increment(ref injected);
                await AnswerErrorAsync(response, 403, isBlob ? "AuthorizationPermissionMismatch" : "AccessDenied", "Access Denied (injected by the test proxy)");
                return;
            }

            double roll;
            lock (gate)
            {
                roll = random.NextDouble();
            }

            if (roll < DropRate / 2)
            {
                Interlocked.Increment(ref injected);
                await DropAsync(response);
                return;
            }

            if (roll < DropRate + FailureRate && roll >= DropRate)
            {
                await DrainAsync(request);
                Interlocked.Increment(ref injected);
                var slowDown = roll < DropRate + (FailureRate / 2);
                await AnswerErrorAsync(response, slowDown ? 503 : 500,
                    slowDown ? (isBlob ? "ServerBusy" : "SlowDown") : (isBlob ? "InternalError" : "InternalError"),
                    slowDown ? "Please reduce your request rate (injected)." : "We encountered an internal error (injected).");
                return;
            }

            if (operation == "UploadPartCopy" && EmulateUploadPartCopy)
            {
                await EmulateCopyPartAsync(request, response);
                return;
            }

            if (operation == "ListParts" && PartListing is { } partListing)
            {
                await AnswerPartListAsync(partListing, request, response);
                return;
            }

            var objectListing = operation == "ListObjects" ? ObjectListing : null;
            if (objectListing is { Paging: not ObjectListingPaging.Fault.None } && await RefusedAsAskedTooOftenAsync(operation, response))
            {
                return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(upstream, objectListing?.Forwarded(request.RawUrl!) ?? request.RawUrl));
            var hasBody = request.HasEntityBody;
            var kms = EmulateKmsEncryption && !isBlob;
            if (hasBody && kms && operation == "CompleteMultipartUpload")
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                forward.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(kmsETags.ToStore(await reader.ReadToEndAsync())));
            }
            else if (hasBody)
            {
                forward.Content = new StreamContent(request.InputStream, 1 << 16);
                if (request.ContentLength64 >= 0)
                {
                    forward.Content.Headers.ContentLength = request.ContentLength64;
                }
            }
            else if (request.HttpMethod is "PUT" or "POST")
            {
                forward.Content = new ByteArrayContent([]);
            }

            foreach (var name in request.Headers.AllKeys)
            {
                if (name is null || HopHeaders.Contains(name))
                {
                    continue;
                }

                var values = request.Headers.GetValues(name) ?? [];
                if (kms)
                {
                    values = [.. values.Select(kmsETags.ToStore)];
                }

                if (!forward.Headers.TryAddWithoutValidation(name, values))
                {
                    forward.Content?.Headers.TryAddWithoutValidation(name, values);
                }
            }

            forward.Headers.Host = request.Headers["Host"];
            using var answer = await upstreamClient.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, stopping.Token);
            if (PartListing is { } parts && answer.IsSuccessStatusCode && query["uploadId"] is { } uploadId)
            {
                TellPartListing(parts, operation, uploadId, request, answer);
            }

            if (roll < DropRate)
            {
                // The server did the work; the client never hears of it.
                Interlocked.Increment(ref injected);
                await DropAsync(response);
                return;
            }

            response.StatusCode = (int)answer.StatusCode;
            foreach (var header in answer.Headers.Concat(answer.Content.Headers))
            {
                if (HopHeaders.Contains(header.Key))
                {
                    continue;
                }

                var values = header.Key.Equals("ETag", StringComparison.OrdinalIgnoreCase) && operation == "GetObject"
                    && request.Headers["Range"] is null && GetObjectETag is { } etag ? [etag] : header.Value;
                if (kms && header.Key.Equals("ETag", StringComparison.OrdinalIgnoreCase))
                {
                    values = [.. values.Select(kmsETags.ToClient)];
                }
                foreach (var value in values)
                {
                    response.AppendHeader(header.Key, value);
                }
            }

            if (kms && operation is "PutObject" or "UploadPart" or "CompleteMultipartUpload" or "HeadObject" or "GetObject" && answer.IsSuccessStatusCode)
            {
                // As S3 answers under SSE-KMS, the key's id too: the AWS SDK skips its own ETag check of a GET on seeing it.
                response.AppendHeader("x-amz-server-side-encryption", "aws:kms");
                response.AppendHeader("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
            }

            if ((kms && operation is "CompleteMultipartUpload" or "ListParts") || (objectListing is not null && answer.IsSuccessStatusCode))
            {
                // Small XML answers: their ETags are rewritten as the headers' are, and a listing's paging as asked.
                var xml = await answer.Content.ReadAsStringAsync(stopping.Token);
                xml = kms ? kmsETags.ToClientXml(xml) : xml;
                xml = objectListing?.Answer(xml, request.QueryString["continuation-token"]) ?? xml;
                var body = Encoding.UTF8.GetBytes(xml);
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body, stopping.Token);
                response.Close();
                return;
            }

            if (answer.Content.Headers.ContentLength is { } length)
            {
                response.ContentLength64 = length;
            }
            else
            {
                response.SendChunked = true;
            }

            if (request.HttpMethod != "HEAD")
            {
                await using var body = await answer.Content.ReadAsStreamAsync(stopping.Token);
                await body.CopyToAsync(response.OutputStream, 1 << 16, stopping.Token);
            }

            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            response.Abort();
        }
    }

    private async Task EmulateCopyPartAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        var source = Uri.UnescapeDataString(request.Headers["x-amz-copy-source"]!).TrimStart('/').Split('?')[0];
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(upstream, "/" + string.Join('/', source.Split('/').Select(Uri.EscapeDataString))));
        if (request.Headers["x-amz-copy-source-range"] is { } range)
        {
            get.Headers.TryAddWithoutValidation("Range", range);
        }

        using var got = await upstreamClient.SendAsync(get, stopping.Token);
        if (!got.IsSuccessStatusCode)
        {
            await AnswerErrorAsync(response, (int)got.StatusCode, got.StatusCode == HttpStatusCode.NotFound ? "NoSuchKey" : "InvalidRequest", "copy source could not be read");
            return;
        }

        if (request.Headers["x-amz-copy-source-if-match"] is { } ifMatch && got.Headers.ETag?.Tag is { } sourceTag && ifMatch.Trim('"') != sourceTag.Trim('"'))
        {
            await AnswerErrorAsync(response, 412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
            return;
        }

        var bytes = await got.Content.ReadAsByteArrayAsync(stopping.Token);
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(upstream, request.RawUrl)) { Content = new ByteArrayContent(bytes) };
        using var stored = await upstreamClient.SendAsync(put, stopping.Token);
        if (!stored.IsSuccessStatusCode)
        {
            await AnswerErrorAsync(response, (int)stored.StatusCode, "InternalError", "copy part could not be stored");
            return;
        }

        var etag = stored.Headers.ETag?.Tag.Trim('"') ?? string.Empty;
        if (PartListing is { } parts && request.QueryString["uploadId"] is { } uploadId
            && int.TryParse(request.QueryString["partNumber"], System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            parts.Accepted(uploadId, number, $"\"{etag}\"", bytes.Length);
        }

        await AnswerXmlAsync(response, 200,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CopyPartResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + $"<LastModified>{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}</LastModified><ETag>&quot;{etag}&quot;</ETag></CopyPartResult>");
    }

    private static void TellPartListing(EmulatedPartListing parts, string operation, string uploadId, HttpListenerRequest request, HttpResponseMessage answer)
    {
        if (operation == "UploadPart" && answer.Headers.TryGetValues("ETag", out var etags)
            && int.TryParse(request.QueryString["partNumber"], System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            // A streamed SigV4 body (aws-chunked) is longer than the part it carries; the header gives the part's own size.
            var size = long.TryParse(request.Headers["x-amz-decoded-content-length"], System.Globalization.CultureInfo.InvariantCulture, out var decoded)
                ? decoded : request.ContentLength64;
            parts.Accepted(uploadId, number, etags.First(), size);
        }
        else if (operation is "CompleteMultipartUpload" or "AbortMultipartUpload")
        {
            parts.Ended(uploadId);
        }
    }

    private async Task AnswerPartListAsync(EmulatedPartListing listing, HttpListenerRequest request, HttpListenerResponse response)
    {
        if (listing.BrokenPaging && await RefusedAsAskedTooOftenAsync("ListParts", response))
        {
            return;
        }

        var path = request.Url!.AbsolutePath.TrimStart('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var xml = listing.Answer(path[..slash], Uri.UnescapeDataString(path[(slash + 1)..]), request.QueryString);
        if (xml is null)
        {
            await AnswerErrorAsync(response, 404, "NoSuchUpload", "The specified upload does not exist.");
            return;
        }

        await AnswerXmlAsync(response, 200, EmulateKmsEncryption ? kmsETags.ToClientXml(xml) : xml);
    }

    /// <summary>
    /// Where a listing pages wrongly, a client that follows its flag asks for ever: past 20 listings the proxy answers 400,
    /// so that the test fails instead of hanging.
    /// </summary>
    private async Task<bool> RefusedAsAskedTooOftenAsync(string operation, HttpListenerResponse response)
    {
        if (Count(operation) <= 20)
        {
            return false;
        }

        await AnswerErrorAsync(response, 400, "InvalidRequest", $"{operation} asked for more than 20 times (test proxy)");
        return true;
    }

    private static int BlockNumber(string blockId)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(blockId));
            return int.Parse(text[(text.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (FormatException)
        {
            return -1;
        }
    }

    /// <summary>
    /// Cuts the connection mid-answer. HttpListener's Abort alone can still send a bare "200 OK" when no headers
    /// went out yet, so a promised body is started and the socket closed before it is complete.
    /// </summary>
    private static async Task DropAsync(HttpListenerResponse response)
    {
        response.StatusCode = 200;
        response.ContentLength64 = 4096;
        await response.OutputStream.WriteAsync(new byte[16]);
        await response.OutputStream.FlushAsync();
        response.Abort();
    }

    private static async Task DrainAsync(HttpListenerRequest request)
    {
        if (request.HasEntityBody)
        {
            await request.InputStream.CopyToAsync(Stream.Null);
        }
    }

    private static async Task AnswerErrorAsync(HttpListenerResponse response, int status, string code, string message)
    {
        response.AppendHeader("x-ms-error-code", code);
        await AnswerXmlAsync(response, status,
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>proxy</RequestId></Error>");
    }

    private static async Task AnswerXmlAsync(HttpListenerResponse response, int status, string xml)
    {
        var body = Encoding.UTF8.GetBytes(xml);
        response.StatusCode = status;
        response.ContentType = "application/xml";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}
