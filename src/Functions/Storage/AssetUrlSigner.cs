using Microsoft.Extensions.Options;
using Recording.Functions.Orchestration;
using Recording.Functions.Recordings;

namespace Recording.Functions.Storage;

/// <summary>Gives assets their presigned URLs on each status read: presigned URLs expire, so none is ever stored.</summary>
public sealed class AssetUrlSigner(RecordingDestinations destinations, IOptions<RecordingOrchestrationOptions> options, ILogger<AssetUrlSigner> logger)
{
    public async Task<IReadOnlyList<RecordingAsset>> SignAsync(AssetTarget target, IReadOnlyList<RecordingAsset> assets, CancellationToken cancellationToken)
    {
        if (assets.Count == 0)
        {
            return assets;
        }

        try
        {
            using var destination = await destinations.OpenAsync(target, cancellationToken);
            var signed = new List<RecordingAsset>();
            foreach (var asset in assets)
            {
                signed.Add(asset with { Url = await destination.GetReadUrlAsync(asset.Key, options.Value.PresignedUrlLifetime, cancellationToken) });
            }

            return signed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The status is still worth answering without URLs.
            logger.LogWarning("Could not sign asset URLs for {Id}: {Error}", target.RecordingId, ex.GetType().Name);
            return assets;
        }
    }
}
