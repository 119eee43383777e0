using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Recording.Storage.Tests.Faults;

/// <summary>
/// Maps the store's MD5 ETags to ETags that are not the MD5 of anything (as S3 answers under SSE-KMS) and back. Each fake
/// is derived from the real one, so one object or part keeps one fake across answers; the "-N" of a multipart ETag stays.
/// </summary>
internal sealed partial class OpaqueETags
{
    private readonly ConcurrentDictionary<string, string> realByFake = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An ETag header's value with its MD5 replaced by the fake.</summary>
    public string ToClient(string etag) => Md5Hex().Replace(etag, match =>
    {
        var fake = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("kms:" + match.Value.ToLowerInvariant())))[..32];
        realByFake[fake] = match.Value;
        return fake;
    });

    /// <summary>An XML answer (ListParts, CompleteMultipartUpload) with the ETag elements' MD5s replaced; nothing else in it is touched.</summary>
    public string ToClientXml(string xml) => ETagElement().Replace(xml, element => ToClient(element.Value));

    /// <summary>Every fake in <paramref name="text"/> (an If-Match header, a Complete's part list) replaced by the store's ETag.</summary>
    public string ToStore(string text) => Md5Hex().Replace(text, match => realByFake.TryGetValue(match.Value, out var real) ? real : match.Value);

    [GeneratedRegex("<ETag>.*?</ETag>", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ETagElement();

    [GeneratedRegex("(?<![0-9a-fA-F])[0-9a-fA-F]{32}(?![0-9a-fA-F])", RegexOptions.CultureInvariant)]
    private static partial Regex Md5Hex();
}
