using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Recording.Functions.Engine;
using Recording.Functions.Serialization;

namespace Recording.Functions.Templates;

/// <summary>Templates in an Azure Storage table beside the engine's task hub (one row per name, its JSON document in a column).</summary>
public sealed class TableTemplateStore(ServiceTables tables) : ITemplateStore
{
    // One partition: templates are few, and one partition lets a put's insert-or-replace stay a single-row operation.
    private const string Partition = "template";

    public async Task<bool> PutAsync(string name, RecordingTemplate template, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var row = new TableEntity(Partition, name) { ["Document"] = JsonSerializer.Serialize(template, ApiJson.Options) };
        try
        {
            // Insert first, so that of two concurrent PUTs of a new name exactly one says "created".
            await tables.Templates.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            await tables.Templates.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
            return false;
        }
    }

    public async Task<RecordingTemplate?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var row = await tables.Templates.GetEntityIfExistsAsync<TableEntity>(Partition, name, ["Document"], cancellationToken);
        return row.HasValue && row.Value!.GetString("Document") is { } document ? JsonSerializer.Deserialize<RecordingTemplate>(document, ApiJson.Options) : null;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        // The table service answers a delete of a missing row with 404, which the client returns rather than throws.
        var response = await tables.Templates.DeleteEntityAsync(Partition, name, ETag.All, cancellationToken);
        return response.Status != 404;
    }
}
