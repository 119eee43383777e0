using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// ListParts as S3 answers it, for <see cref="FaultInjectingProxy"/>: s3rver has no ListParts, so the proxy lists the parts
/// that it forwarded and the store accepted (number, ETag, size), in pages that follow S3's part-number-marker and
/// max-parts. It can also page wrongly, as a broken store might: every page marked truncated and no next marker.
/// </summary>
public sealed class EmulatedPartListing
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, (string ETag, long Size)>> partsByUpload = new();
    private int answers;

    /// <summary>The most parts one answer lists, below the client's own max-parts.</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Every page says it is truncated and names no next marker.</summary>
    public bool BrokenPaging { get; set; }

    /// <summary>ListParts requests answered with a listing.</summary>
    public int Answers => Volatile.Read(ref answers);

    /// <summary>Parts stored for uploads not yet completed or aborted.</summary>
    public int PartsStored => partsByUpload.Values.Sum(parts => parts.Count);

    /// <summary>Notes a part the store accepted; a part sent again replaces the earlier one, as in S3.</summary>
    public void Accepted(string uploadId, int partNumber, string etag, long size)
        => partsByUpload.GetOrAdd(uploadId, _ => new())[partNumber] = (etag, size);

    /// <summary>Forgets an upload that was completed or aborted.</summary>
    public void Ended(string uploadId) => partsByUpload.TryRemove(uploadId, out _);

    /// <summary>The ListPartsResult XML for the request's query, or null when the upload is unknown (NoSuchUpload).</summary>
    public string? Answer(string bucket, string key, System.Collections.Specialized.NameValueCollection query)
    {
        if (query["uploadId"] is not { } uploadId || !partsByUpload.TryGetValue(uploadId, out var parts))
        {
            return null;
        }

        Interlocked.Increment(ref answers);
        var marker = int.TryParse(query["part-number-marker"], CultureInfo.InvariantCulture, out var m) ? m : 0;
        var max = int.TryParse(query["max-parts"], CultureInfo.InvariantCulture, out var asked) ? Math.Min(asked, PageSize) : PageSize;
        var after = parts.Where(p => p.Key > marker).OrderBy(p => p.Key).ToList();
        var page = after.Take(max).ToList();
        var truncated = BrokenPaging || after.Count > page.Count;

        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.Append(CultureInfo.InvariantCulture, $"<Bucket>{Escape(bucket)}</Bucket><Key>{Escape(key)}</Key><UploadId>{Escape(uploadId)}</UploadId>");
        xml.Append(CultureInfo.InvariantCulture, $"<PartNumberMarker>{marker}</PartNumberMarker>");
        if (!BrokenPaging && page.Count > 0)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<NextPartNumberMarker>{page[^1].Key}</NextPartNumberMarker>");
        }

        xml.Append(CultureInfo.InvariantCulture, $"<MaxParts>{max}</MaxParts><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>");
        foreach (var (number, (etag, size)) in page)
        {
            xml.Append(CultureInfo.InvariantCulture,
                $"<Part><PartNumber>{number}</PartNumber><LastModified>{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}</LastModified><ETag>{Escape(etag)}</ETag><Size>{size}</Size></Part>");
        }

        return xml.Append("</ListPartsResult>").ToString();
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
