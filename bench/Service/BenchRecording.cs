using System.Text.Json.Nodes;

namespace Recording.Bench.Service;

/// <summary>The start request the benches send: an inline template with the local-folder default destination and the bench's webhook.</summary>
internal static class BenchRecording
{
    public static JsonObject Start(string id, string source, Uri webhook, string segmentLength, bool splice = false, bool hls = false) => new()
    {
        ["id"] = id,
        ["source"] = source,
        ["template"] = new JsonObject
        {
            ["format"] = "fmp4",
            ["segmentLength"] = segmentLength,
            ["resumeWindow"] = "00:00:30",
            ["maxDuration"] = "02:00:00",
            ["postProcessing"] = new JsonObject { ["splice"] = splice, ["hls"] = hls },
            ["notifications"] = new JsonObject
            {
                ["webhooks"] = new JsonArray(new JsonObject { ["url"] = webhook.ToString(), ["secret"] = WebhookLog.Secret }),
            },
        },
    };
}
