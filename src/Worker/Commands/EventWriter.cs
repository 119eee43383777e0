using System.Text;
using System.Text.Json;
using Recording.Media.Capture;
using Recording.Media.Manifest;

namespace Recording.Worker.Commands;

/// <summary>
/// Writes each capture event as one JSON line on stdout and, when asked, appends the same line to an events file,
/// each flushed at once, so that a parent process can follow it, and a parent restarted meanwhile can re-attach by
/// reading the file from its start.
/// </summary>
internal sealed class EventWriter : IDisposable
{
    private static readonly JsonSerializerOptions Options = new(ManifestJson.Options) { WriteIndented = false };
    private readonly Lock gate = new();
    private readonly TextWriter output;
    private readonly FileStream? file;

    private EventWriter(TextWriter output, FileStream? file)
    {
        this.output = output;
        this.file = file;
    }

    /// <summary>
    /// Opens <paramref name="eventsFile"/> for appending (created if missing, never truncated: a capture restarted on
    /// the same folder continues the same event history). A last line cut short by a crash is ended first, so that
    /// every complete line stays one JSON object.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened for appending.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be written.</exception>
    public static EventWriter Open(TextWriter output, string? eventsFile)
    {
        if (eventsFile is null)
        {
            return new EventWriter(output, null);
        }

        // ReadWrite sharing: the parent tails the file while the worker appends to it.
        var stream = new FileStream(eventsFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            if (stream.Length > 0)
            {
                stream.Seek(-1, SeekOrigin.End);
                var last = stream.ReadByte();
                stream.Seek(0, SeekOrigin.End);
                if (last != '\n')
                {
                    stream.WriteByte((byte)'\n');
                    stream.Flush();
                }
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new EventWriter(output, stream);
    }

    public void Write(CaptureEvent captureEvent)
    {
        var line = JsonSerializer.Serialize(captureEvent, Options);
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
            if (file is not null)
            {
                // One write per line, so that a reader never sees half an event unless the worker dies mid-write.
                file.Write(Encoding.UTF8.GetBytes(line + "\n"));
                file.Flush();
            }
        }
    }

    public void Dispose() => file?.Dispose();
}
