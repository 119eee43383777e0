namespace Recording.Storage.Destinations;

/// <summary>
/// Resolves "env:" references from the process environment and hands "keyvault:" references to the
/// Key Vault resolver the host injects (the Azure host wires one up; locally there is none and such a
/// reference is refused with a clear error rather than silently read as empty).
/// </summary>
public sealed class SecretResolver(ISecretResolver? keyVaultResolver = null) : ISecretResolver
{
    public async Task<Secret> ResolveAsync(SecretReference reference, string field, CancellationToken cancellationToken = default)
    {
        switch (reference.Scheme)
        {
            case SecretReference.EnvironmentScheme:
                var value = Environment.GetEnvironmentVariable(reference.Name);
                if (string.IsNullOrEmpty(value))
                {
                    throw new DestinationSettingsException([new SettingsError(field, "secret-resolvable",
                        $"environment variable '{reference.Name}' is not set or empty.")]);
                }

                return new Secret(value);
            case SecretReference.KeyVaultScheme when keyVaultResolver is not null:
                return await keyVaultResolver.ResolveAsync(reference, field, cancellationToken);
            default:
                throw new DestinationSettingsException([new SettingsError(field, "secret-resolvable",
                    $"no resolver for '{reference.Scheme}:' references is configured in this host.")]);
        }
    }
}
