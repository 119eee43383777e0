namespace Recording.Storage.Destinations;

/// <summary>Turns a <see cref="SecretReference"/> into the secret (environment locally, Key Vault in Azure).</summary>
public interface ISecretResolver
{
    Task<Secret> ResolveAsync(SecretReference reference, string field, CancellationToken cancellationToken = default);
}
