using System.Text.Json;
using Recording.Media.Jobs;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>Reads a <see cref="MediaJobRequest"/> from a request file or a queue message: the manifest's JSON shape, as the service writes it.</summary>
internal static class MediaJobRequestJson
{
    /// <summary>The request; a JsonException when the text is not one (not JSON, a required field missing, null).</summary>
    public static MediaJobRequest Parse(string text)
        => JsonSerializer.Deserialize<MediaJobRequest>(text, ManifestJson.Options) ?? throw new JsonException("the request is JSON null.");

    /// <summary>
    /// Why a request cannot even be reported failed (there is no result file to report in), or null when it can: a job id that
    /// the result must carry back, and an output folder beside which the result file lies.
    /// </summary>
    public static string? Unreportable(MediaJobRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.JobId))
        {
            return "jobId (required): the request names no job.";
        }

        return MediaJobExecutor.HasUsableOutputDirectory(request)
            ? null
            : "outputDirectory (absolute-folder): must be an absolute folder path below a root, without . or .. segments.";
    }
}
