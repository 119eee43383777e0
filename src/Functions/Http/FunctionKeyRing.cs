using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Recording.Functions.Http;

/// <summary>Holds the configured keys only as SHA-256 hashes and finds the role of a presented key in constant time.</summary>
public sealed class FunctionKeyRing
{
    private readonly (byte[] Hash, KeyRole Role)[] keys;

    public FunctionKeyRing(IOptions<FunctionKeyOptions> options)
    {
        keys =
        [
            .. options.Value.Admin.Select(key => (Hash(key), KeyRole.Admin)),
            .. options.Value.Recorder.Select(key => (Hash(key), KeyRole.Recorder)),
        ];
    }

    /// <summary>The role of the key, or null when it matches no configured key.</summary>
    public KeyRole? RoleOf(string presented)
    {
        var hash = Hash(presented);
        KeyRole? role = null;
        // Every configured key is compared, so the time taken does not tell which one (or whether an admin key) nearly matched.
        foreach (var (candidate, candidateRole) in keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, candidate) && (role is null || candidateRole > role))
            {
                role = candidateRole;
            }
        }

        return role;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
