using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration;
using Recording.Functions.Validation;
using Recording.Media.Sources;

namespace Recording.Functions.Templates;

/// <summary>Checks a template field by field, naming each field and the rule it breaks.</summary>
public sealed class TemplateValidator(IOptions<TemplateOptions> options, IOptions<Hosting.LocalDataOptions> localData, IOptions<RecordingOrchestrationOptions> orchestration)
{
    /// <summary>Said of an endpoint written as a loopback or private address where private networks are off.</summary>
    public const string PublicAddressRule = "must be a public address: this deployment connects to no loopback or private address (Recording:Orchestration:AllowPrivateNetworks)";

    public const int MaxWebhooks = 10;
    public static readonly IReadOnlyList<int> RenditionHeights = [240, 480, 720, 1080];

    private static readonly TimeSpan MaxResumeWindow = TimeSpan.FromSeconds(1800);

    public void Validate(RecordingTemplate template, string prefix, ValidationErrors errors)
    {
        var settings = options.Value;
        string Field(string name) => ValidationErrors.Join(prefix, name);

        if (template.Description is { Length: > 1024 })
        {
            errors.Add(Field("description"), "must be at most 1024 characters");
        }

        if (!TemplateFormats.All.Contains(template.Format, StringComparer.Ordinal))
        {
            errors.Add(Field("format"), "must be one of " + string.Join(", ", TemplateFormats.All));
        }

        if (settings.AllowShortSegments)
        {
            if (template.SegmentLength < TimeSpan.FromSeconds(1) || template.SegmentLength > TimeSpan.FromMinutes(120))
            {
                errors.Add(Field("segmentLength"), "must be between 1 second and 120 minutes (short segments are allowed on this deployment)");
            }
        }
        else if (template.SegmentLength < TimeSpan.FromMinutes(1) || template.SegmentLength > TimeSpan.FromMinutes(120))
        {
            errors.Add(Field("segmentLength"), "must be between 1 and 120 minutes");
        }

        if (template.ResumeWindow < TimeSpan.Zero || template.ResumeWindow > MaxResumeWindow)
        {
            errors.Add(Field("resumeWindow"), "must be between 0 and 1800 seconds");
        }

        var shortestDuration = settings.AllowShortSegments ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
        if (template.MaxDuration < shortestDuration || template.MaxDuration > settings.MaxRecordingDuration)
        {
            errors.Add(Field("maxDuration"), $"must be between {shortestDuration:c} and {settings.MaxRecordingDuration:c}");
        }

        ValidateRenditions(template, Field, errors);
        ValidateThumbnails(template, Field, settings, errors);
        DestinationRules.Validate(template.Destination, Field("destination"), errors);
        ValidateDestinationSettings(template.Destination, Field("destination"), errors);
        ValidateNotifications(template.Notifications, Field("notifications"), settings, errors);
    }

    /// <summary>
    /// The storage layer's own rules on the settings (a bucket name S3 accepts, a region, an absolute folder, a prefix whose
    /// placeholders are known): a recording would otherwise be accepted and fail at its first upload, a segment later.
    /// Nothing is reached here; <c>POST /api/storage/validate</c> also writes a probe object.
    /// </summary>
    private void ValidateDestinationSettings(JsonElement? destination, string field, ValidationErrors errors)
    {
        if (destination is not { ValueKind: JsonValueKind.Object } value || errors.HasUnder(field))
        {
            return;
        }

        try
        {
            var settings = Storage.RecordingDestinations.Inline(value);
            settings.EnsureValid();
            if (settings is Recording.Storage.Destinations.LocalFolderDestinationSettings local && !IsAllowedLocalFolder(local.Path))
            {
                errors.Add(ValidationErrors.Join(field, "path"), "must be inside the data directory's assets folder or a folder listed in Recording:Templates:LocalFolderRoots");
            }

            var (endpointField, endpoint) = settings switch
            {
                Recording.Storage.Destinations.S3DestinationSettings s3 => ("endpoint", s3.Endpoint),
                Recording.Storage.Destinations.AzureBlobDestinationSettings blob => ("serviceUri", blob.ServiceUri),
                _ => (string.Empty, null),
            };
            if (endpoint is not null && IsPrivateAddress(endpoint))
            {
                errors.Add(ValidationErrors.Join(field, endpointField), PublicAddressRule);
            }
        }
        catch (Recording.Storage.Destinations.DestinationSettingsException ex)
        {
            foreach (var error in ex.Errors)
            {
                // The parse names fields from "destination" on, the settings' own rules from inside it ("bucket").
                var at = error.Field.StartsWith("destination", StringComparison.Ordinal) ? field + error.Field["destination".Length..] : ValidationErrors.Join(field, error.Field);
                errors.Add(at, $"{error.Message.TrimEnd('.')} (rule: {error.Rule})");
            }
        }
    }

    /// <summary>
    /// An endpoint written as a loopback or private address while private networks are off. Names are not resolved here:
    /// every connection is checked when it is made (<see cref="Network.PublicAddressConnector"/>), this only answers early.
    /// </summary>
    private bool IsPrivateAddress(Uri endpoint)
        => !orchestration.Value.AllowPrivateNetworks
            && (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.DnsSafeHost, out var address) && SourcePolicy.IsNonPublic(address)));

    private bool IsAllowedLocalFolder(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var roots = options.Value.LocalFolderRoots.Append(Path.Combine(localData.Value.DataDirectory, "assets"))
            .Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)));
        return roots.Any(root => full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    private static void ValidateRenditions(RecordingTemplate template, Func<string, string> field, ValidationErrors errors)
    {
        for (var i = 0; i < template.Renditions.Count; i++)
        {
            if (!RenditionHeights.Contains(template.Renditions[i]))
            {
                errors.Add($"{field("renditions")}[{i}]", "must be one of " + string.Join(", ", RenditionHeights));
            }
        }

        if (template.Renditions.Distinct().Count() != template.Renditions.Count)
        {
            errors.Add(field("renditions"), "must not repeat a height");
        }

        if (template.PostProcessing.Ladder && template.Renditions.Count == 0)
        {
            errors.Add(field("renditions"), "must name at least one height when postProcessing.ladder is true");
        }

        if (template.Format == TemplateFormats.AudioOnlyM4a && (template.PostProcessing.Ladder || template.PostProcessing.Thumbnails))
        {
            errors.Add(field("postProcessing"), "ladder and thumbnails need video, and format m4a is audio only");
        }
    }

    private static void ValidateThumbnails(RecordingTemplate template, Func<string, string> field, TemplateOptions settings, ValidationErrors errors)
    {
        var shortest = settings.AllowShortSegments ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(5);
        if (template.ThumbnailInterval < shortest || template.ThumbnailInterval > TimeSpan.FromHours(1))
        {
            errors.Add(field("thumbnailInterval"), $"must be between {shortest:c} and 01:00:00");
        }
    }

    private void ValidateNotifications(NotificationSettings notifications, string prefix, TemplateOptions settings, ValidationErrors errors)
    {
        if (notifications.Webhooks.Count > MaxWebhooks)
        {
            errors.Add(ValidationErrors.Join(prefix, "webhooks"), $"must list at most {MaxWebhooks} endpoints");
        }

        for (var i = 0; i < notifications.Webhooks.Count; i++)
        {
            var hook = notifications.Webhooks[i];
            var at = $"{prefix}.webhooks[{i}]";
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add(at + ".url", "must be an absolute https URL");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !settings.AllowHttpWebhooks)
            {
                errors.Add(at + ".url", "must use https (plain http is allowed only with Recording:Templates:AllowHttpWebhooks)");
            }
            else if (!string.IsNullOrEmpty(url.UserInfo))
            {
                errors.Add(at + ".url", "must not carry user information; the secret signs each delivery instead");
            }
            else if (IsPrivateAddress(url))
            {
                errors.Add(at + ".url", PublicAddressRule);
            }

            if (hook.Secret is null)
            {
                errors.Add(at + ".secret", "is required: a Standard Webhooks secret, \"whsec_\" followed by base64 of 24 to 64 random bytes");
            }
            else if (!WebhookSecret.TryParse(hook.Secret, out _))
            {
                errors.Add(at + ".secret", "must be \"whsec_\" followed by base64 of 24 to 64 random bytes");
            }
        }

        if (notifications.EventGrid is { } topic)
        {
            if (!Uri.TryCreate(topic.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && !(settings.AllowHttpWebhooks && endpoint.Scheme == Uri.UriSchemeHttp)))
            {
                errors.Add(prefix + ".eventGrid.endpoint", "must be the absolute https endpoint of an Event Grid topic");
            }
            else if (topic.AccessKey is null && !Notifications.EventGridEndpoints.IsAzureEventGrid(endpoint))
            {
                errors.Add(prefix + ".eventGrid.endpoint", Notifications.EventGridEndpoints.Rule);
            }
            else if (IsPrivateAddress(endpoint))
            {
                errors.Add(prefix + ".eventGrid.endpoint", PublicAddressRule);
            }

            if (topic.AccessKey is { } key && (key.Length < 16 || key.Any(char.IsWhiteSpace)))
            {
                errors.Add(prefix + ".eventGrid.accessKey", "must be a topic access key (at least 16 characters, no whitespace); leave it out to use the managed identity");
            }
        }
    }
}
