using System.Text.Json;
using Recording.Storage.Destinations;
using Recording.Storage.Validation;

namespace Recording.Functions.Storage;

/// <summary><see cref="IStorageValidation"/> on src/Storage's <see cref="DestinationValidator"/>: settings checked, then a probe object written, read, listed and deleted.</summary>
public sealed class DestinationStorageValidation(RecordingDestinations destinations) : IStorageValidation
{
    public async Task<StorageValidationResult> ValidateAsync(JsonElement destination, CancellationToken cancellationToken = default)
    {
        DestinationSettings settings;
        try
        {
            settings = destinations.Settings(destination);
            settings.EnsureValid();
        }
        catch (DestinationSettingsException ex)
        {
            return new StorageValidationResult(
                ex.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"{e.Message} (rule: {e.Rule})").ToArray()),
                []);
        }

        var report = await new DestinationValidator(new ValidationOptions { HttpHandler = destinations.HttpHandler }).ValidateAsync(settings, new SecretResolver(), cancellationToken);
        var checks = report.Checks
            .Select(c => new StorageCheck(c.Permission, c.Status == PermissionStatus.Ok, c.Detail ?? c.ErrorCode ?? c.Status.ToString()))
            .ToList();
        var errors = report.Ok
            ? new Dictionary<string, string[]>()
            : new Dictionary<string, string[]> { ["destination"] = [report.Verdict] };
        return new StorageValidationResult(errors, checks);
    }
}
