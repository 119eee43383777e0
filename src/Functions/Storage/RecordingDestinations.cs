using System.Text.Json;
using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;
using Recording.Functions.Network;
using Recording.Storage.Destinations;
using Recording.Storage.Keys;
using Recording.Storage.Upload;

namespace Recording.Functions.Storage;

/// <summary>
/// Turns a template's destination into a storage client and object keys; no destination means the local folder under the
/// data directory. Clients connect as <paramref name="connections"/> allows: to public addresses only where private networks
/// are off, since the template, not the operator, names the endpoint.
/// </summary>
public sealed class RecordingDestinations(IOptions<LocalDataOptions> local, TemplateEndpointConnections connections, ILogger<RecordingDestinations> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where assets go when a template names no destination.</summary>
    public string LocalAssetsFolder => Path.Combine(Path.GetFullPath(local.Value.DataDirectory), "assets");

    /// <summary>The handler every request to a store goes through (<see cref="UploadOptions.HttpHandler"/>).</summary>
    public HttpMessageHandler? HttpHandler => connections.Handler;

    /// <summary>Reads the settings; throws <see cref="DestinationSettingsException"/> naming the field when they are wrong.</summary>
    public DestinationSettings Settings(JsonElement? destination)
        => destination is { ValueKind: JsonValueKind.Object } value ? Inline(value) : new LocalFolderDestinationSettings { Path = LocalAssetsFolder };

    /// <summary>Reads a template's inline destination settings; throws <see cref="DestinationSettingsException"/> naming the field when they are wrong.</summary>
    public static DestinationSettings Inline(JsonElement value)
    {
        if (value.TryGetProperty("ref", out _))
        {
            throw new DestinationSettingsException([new SettingsError("destination.ref", "supported", "named destinations are not configured in this deployment; give the settings inline.")]);
        }

        try
        {
            return JsonSerializer.Deserialize<DestinationSettings>(value.GetRawText(), Json)
                ?? throw new DestinationSettingsException([new SettingsError("destination", "required", "must be an object.")]);
        }
        catch (JsonException ex)
        {
            // The message names the path but never the value (it may be a secret).
            throw new DestinationSettingsException([new SettingsError("destination" + (ex.Path is { Length: > 1 } path ? path[1..] : ""), "format", "is not valid destination settings (kind must be s3, azureBlob or localFolder).")]);
        }
    }

    public Task<IStorageDestination> OpenAsync(AssetTarget target, CancellationToken cancellationToken = default)
    {
        var settings = Settings(target.Destination);
        if (target.Destination is not { ValueKind: JsonValueKind.Object })
        {
            // The default folder is ours to create; a configured local folder must exist (a typo should not scatter recordings).
            Directory.CreateDirectory(LocalAssetsFolder);
        }

        return StorageDestinationFactory.CreateAsync(settings, new UploadOptions { HttpHandler = connections.Handler }, new SecretResolver(), logger, cancellationToken);
    }

    public string Key(AssetTarget target, ObjectKind kind, string file) =>
        new ObjectKeyBuilder(Settings(target.Destination).Prefix).Build(new ObjectKeyContext(target.RecordingId, target.StartedAt, target.StreamId), kind, file);

    /// <summary>The key folder of one kind of asset (an HLS VOD's playlist and segments go side by side in it).</summary>
    public string Folder(AssetTarget target, ObjectKind kind)
    {
        var probe = Key(target, kind, "x");
        return probe[..probe.LastIndexOf('/')];
    }

    /// <summary>The folder holding everything of the recording (for deleting its assets).</summary>
    public string RecordingFolder(AssetTarget target) =>
        new ObjectKeyBuilder(Settings(target.Destination).Prefix).RecordingFolder(new ObjectKeyContext(target.RecordingId, target.StartedAt, target.StreamId));
}
