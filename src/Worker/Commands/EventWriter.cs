using System.Text.Json;
using Recording.Media.Capture;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>Writes each capture event as one JSON line on stdout, flushed at once, so a parent process can follow it.</summary>
internal sealed class EventWriter(TextWriter output)
{
    private static readonly JsonSerializerOptions Options = new(ManifestJson.Options) { WriteIndented = false };
    private readonly Lock gate = new();

    public void Write(CaptureEvent captureEvent)
    {
        var line = JsonSerializer.Serialize(captureEvent, Options);
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
