using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recording.Functions.Notifications;
using Recording.Storage.Destinations;
using Recording.TestSupport;
using Xunit.Abstractions;

namespace Recording.Functions.Tests.EndToEnd;

/// <summary>
/// Compositions against real parts: two participants recorded live from nginx-rtmp (Alice red with 440 Hz, Bob blue with 660 Hz,
/// Bob joining seconds after Alice, dropping out and coming back within his resume window), then composed offline into a grid
/// by the service and checked in the bucket with ffprobe and decoded frames: Alice alone, both, Alice alone while Bob is away,
/// both again. Segments are 4 s; all of Bob lies within Alice.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class CompositionEndToEndTests(ITestOutputHelper output)
{
    private const int Width = 640;
    private const int Height = 360;
    private const double Tolerance = 0.5;
    private const string AliceRecording = "e2e-comp-alice";
    private const string BobRecording = "e2e-comp-bob";
    private static readonly TimeSpan CompletionDeadline = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task TwoParticipantsRecordedApart_OneDroppingOutAWhile_ComposeIntoAGridOfWhoWasThereWhen()
    {
        await using var rig = await RecordingRig.StartAsync(new SyntheticSourceOptions { Colour = "red", ToneHz = 440 });
        // An hour's pause after the composition's first check: only the recordings' ends, which wake it, can end its wait in time.
        await using var service = await ServiceProcess.StartAsync(rig.DataDirectory, "Recording:Orchestration:CompositionFirstCheckPause=01:00:00");
        using var client = service.Client();
        const string compositionId = "e2e-composition";

        try
        {
            // Alice first; Bob's source and recording once Alice's first segment is in, so Bob joins ~8 s later.
            await StartAsync(client, RecordingBody(rig, AliceRecording, rig.SourceUrl));
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, AliceRecording)).GetProperty("segments").GetArrayLength() >= 1, TimeSpan.FromSeconds(60), "Alice's first segment");
            var bobUrl = rig.Rtmp.UrlFor("bob" + Guid.NewGuid().ToString("N")[..6]);
            var bobOptions = new SyntheticSourceOptions { Colour = "blue", ToneHz = 660 };
            var bobSource = SyntheticSource.Start(bobUrl, bobOptions);
            await StartAsync(client, RecordingBody(rig, BobRecording, bobUrl));
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, BobRecording)).GetProperty("segments").GetArrayLength() >= 1, TimeSpan.FromSeconds(60), "Bob's first segment");

            // Bob's connection drops and comes back within the resume window: his recording has a gap, his spliced file does not.
            await bobSource.DisposeAsync();
            await Eventually.UntilAsync(async () => (await RecordingRig.StatusAsync(client, BobRecording)).GetProperty("phase").GetString() == "interrupted", TimeSpan.FromSeconds(30), "Bob's recording interrupted");
            var comingBack = DateTimeOffset.UtcNow;
            await using var bobBack = SyntheticSource.Start(bobUrl, bobOptions);
            await Eventually.UntilAsync(
                async () => (await RecordingRig.StatusAsync(client, BobRecording)).GetProperty("segments").EnumerateArray().Any(s => s.GetProperty("startedAt").GetDateTimeOffset() > comingBack),
                TimeSpan.FromSeconds(60),
                "Bob's first segment after he came back");
            var stops = await Task.WhenAll(RecordingRig.PostAsync(client, $"api/recordings/{AliceRecording}/stop", null), RecordingRig.PostAsync(client, $"api/recordings/{BobRecording}/stop", null));
            Assert.All(stops, stop => Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode));

            // Composed the moment the room ends: the composition waits while the recordings finish and post-process.
            var composition = await ComposeAsync(client, compositionId, service);

            Assert.True(rig.Events(AliceRecording).Any(e => e.Type == RecordingEventTypes.Completed) && rig.Events(BobRecording).Any(e => e.Type == RecordingEventTypes.Completed), "recording.completed for Alice and Bob");
            var aliceStatus = await RecordingRig.CompletedStatusAsync(client, AliceRecording);
            var bobStatus = await RecordingRig.CompletedStatusAsync(client, BobRecording);
            var lastCompleted = new[] { aliceStatus, bobStatus }.Max(s => s.GetProperty("lastUpdatedAt").GetDateTimeOffset());
            Assert.True(composition.GetProperty("createdAt").GetDateTimeOffset() < lastCompleted, "the composition was asked for before its recordings completed, and waited for them");
            var aliceStart = FirstSegmentStart(aliceStatus);
            var expectedBobJoin = (FirstSegmentStart(bobStatus) - aliceStart).TotalSeconds;
            var aliceEnd = (aliceStatus.GetProperty("segments").EnumerateArray().Last().GetProperty("endedAt").GetDateTimeOffset() - aliceStart).TotalSeconds;
            output.WriteLine($"Alice spliced {SplicedDuration(aliceStatus)}, Bob spliced {SplicedDuration(bobStatus)}, Bob joins at {expectedBobJoin:0.000} s, Alice's last segment ends at {aliceEnd:0.000} s");
            Assert.True(expectedBobJoin > 2 && aliceEnd - expectedBobJoin > 4, $"the recordings do not overlap as the test needs: Bob joins at {expectedBobJoin} s, Alice ends at {aliceEnd} s");

            Assert.Equal(compositionId, composition.GetProperty("id").GetString());
            Assert.Equal("grid", composition.GetProperty("layout").GetString());
            Assert.Equal($"{Width}x{Height}", composition.GetProperty("size").GetString());
            var tracks = composition.GetProperty("tracks").EnumerateArray().ToList();
            Assert.Equal(2, tracks.Count);
            var aliceTrack = Track(tracks, "Alice", AliceRecording, "host");
            var bobTrack = Track(tracks, "Bob", BobRecording, "guest");
            var (aliceJoin, aliceLeave) = (aliceTrack.GetProperty("joinAt").GetDouble(), aliceTrack.GetProperty("leaveAt").GetDouble());
            var (bobJoin, bobLeave) = (bobTrack.GetProperty("joinAt").GetDouble(), bobTrack.GetProperty("leaveAt").GetDouble());
            var bobPresences = bobTrack.GetProperty("presences").EnumerateArray().Select(p => (JoinAt: p.GetProperty("joinAt").GetDouble(), LeaveAt: p.GetProperty("leaveAt").GetDouble(), Offset: p.GetProperty("offset").GetDouble())).ToList();
            output.WriteLine("Bob present " + string.Join(", ", bobPresences.Select(p => $"{p.JoinAt:0.000}-{p.LeaveAt:0.000} s from {p.Offset:0.000} s")));
            Assert.Equal(2, bobPresences.Count);
            var (bobAway, bobBackAt) = (bobPresences[0].LeaveAt, bobPresences[1].JoinAt);
            Assert.True(bobBackAt - bobAway > 1, $"Bob's gap on the timeline is {bobAway:0.000}-{bobBackAt:0.000} s");
            AssertClose((BobFirstSegmentAfterGap(bobStatus) - aliceStart).TotalSeconds, bobBackAt, "Bob's return against his first segment after the gap");
            AssertClose(bobAway - bobJoin, bobPresences[1].Offset, "the offset of Bob's return in his spliced file against his time before the gap");
            Assert.Equal(0d, aliceJoin);
            AssertClose(expectedBobJoin, bobJoin, "Bob's joinAt against the first segments' startedAt");
            AssertClose(SplicedDuration(aliceStatus).TotalSeconds, aliceLeave - aliceJoin, "Alice's leaveAt - joinAt against her spliced duration");
            AssertClose(SplicedDuration(bobStatus).TotalSeconds, bobLeave - bobJoin - (bobBackAt - bobAway), "Bob's time present against his spliced duration");
            var lastLeave = Math.Max(aliceLeave, bobLeave);

            var composite = Assert.Single(composition.GetProperty("assets").EnumerateArray(), a => a.GetProperty("kind").GetString() == "composite");
            var key = composite.GetProperty("key").GetString()!;
            Assert.Contains("/composite/", key, StringComparison.Ordinal);
            Assert.StartsWith("http", composite.GetProperty("url").GetString(), StringComparison.Ordinal);
            AssertClose(lastLeave, TimeSpan.Parse(composite.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture).TotalSeconds, "the composite asset's duration against the last leaveAt");
            Assert.Empty(composition.GetProperty("errors").EnumerateArray());
            Assert.Empty(composition.GetProperty("waitingFor").EnumerateArray());
            var (webhookId, type, data) = Assert.Single(rig.CompositionEvents(compositionId));
            Assert.Equal(("composition-" + compositionId + "-1", "composition.completed"), (webhookId, type));
            Assert.Equal(key, data.GetProperty("fileKey").GetString());
            Assert.Equal(composite.GetProperty("sizeBytes").GetInt64(), data.GetProperty("sizeBytes").GetInt64());
            Assert.False(data.TryGetProperty("recordingId", out _), "a composition's event is about the composition, not a recording");

            using var bucket = await rig.BucketAsync();
            var path = Path.Combine(Directory.CreateTempSubdirectory("e2e-composite-").FullName, "composite.mp4");
            await bucket.DownloadToFileAsync(key, path);
            Assert.Equal(composite.GetProperty("sizeBytes").GetInt64(), new FileInfo(path).Length);
            var probed = await RecordingRig.ProbeAsync(path);
            Assert.Equal("h264", probed.Streams.VideoCodec);
            Assert.Equal((Width, Height), (probed.Streams.Width, probed.Streams.Height));
            Assert.True(probed.HasAudio, "the composite has an audio stream");
            AssertClose(lastLeave, probed.Duration.TotalSeconds, "the composite file's duration against the last leaveAt");

            // Grid tiles as src/Media/Compose/TileLayouts places them at 640x360: alone, the whole frame (a 4:3 picture pillarboxed,
            // so the centre is Alice's); together, two 320x360 tiles side by side, the earlier joiner on the left.
            var aliceAlone = TimeSpan.FromSeconds(bobJoin / 2);
            AssertColour(await RgbFrame.ExtractAsync(path, aliceAlone, Width, Height), aliceAlone, (320, 180, IsRed, "red (Alice alone, full frame)"));
            foreach (var (join, leave) in bobPresences.Select(p => (p.JoinAt, Math.Min(p.LeaveAt, aliceLeave))))
            {
                var together = TimeSpan.FromSeconds((join + leave) / 2);
                AssertColour(await RgbFrame.ExtractAsync(path, together, Width, Height), together, (160, 180, IsRed, "red (Alice, left tile)"), (480, 180, IsBlue, "blue (Bob, right tile)"));
            }

            var bobGone = TimeSpan.FromSeconds((bobAway + bobBackAt) / 2);
            AssertColour(await RgbFrame.ExtractAsync(path, bobGone, Width, Height), bobGone, (320, 180, IsRed, "red (Alice alone while Bob is away, full frame)"));

            // Listed among the completed compositions (and not among the recordings).
            using (var listed = JsonDocument.Parse(await client.GetStringAsync("api/compositions?status=Completed")))
            {
                Assert.Equal([compositionId], listed.RootElement.GetProperty("compositions").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
            }

            using (var recordings = JsonDocument.Parse(await client.GetStringAsync("api/recordings")))
            {
                Assert.Equal([AliceRecording, BobRecording], recordings.RootElement.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
            }

            // Deleted with its composite: gone from the bucket and from the service; the recordings stay.
            using var deleted = await client.DeleteAsync($"api/compositions/{compositionId}?deleteAssets=true");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.Equal(1, JsonDocument.Parse(await deleted.Content.ReadAsStringAsync()).RootElement.GetProperty("assetsDeleted").GetInt32());
            Assert.Null(await bucket.HeadAsync(key));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"api/compositions/{compositionId}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/recordings/{AliceRecording}")).StatusCode);
        }
        catch
        {
            output.WriteLine("service:\n" + service.Tail());
            throw;
        }
    }

    /// <summary>A recording of <paramref name="source"/> that makes only segments and the spliced MP4 (no HLS, ladder or thumbnails: faster).</summary>
    private static JsonObject RecordingBody(RecordingRig rig, string id, string source)
    {
        var body = rig.StartBody(id, hls: false, ladder: false, thumbnails: false);
        body["source"] = source;
        body["template"]!["segmentLength"] = "00:00:04";
        return body;
    }

    private static async Task StartAsync(HttpClient client, JsonObject body)
    {
        using var started = await RecordingRig.PostAsync(client, "api/recordings", body);
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, $"start {body["id"]}: {(int)started.StatusCode} {await started.Content.ReadAsStringAsync()}");
    }

    /// <summary>Posts the composition of Alice (host) and Bob (guest) as a 640x360 grid and waits for it to end; returns its completed status.</summary>
    private async Task<JsonElement> ComposeAsync(HttpClient client, string id, ServiceProcess service)
    {
        var body = new JsonObject
        {
            ["id"] = id,
            ["tracks"] = new JsonArray(
                new JsonObject { ["recordingId"] = AliceRecording, ["participant"] = "Alice", ["role"] = "host" },
                new JsonObject { ["recordingId"] = BobRecording, ["participant"] = "Bob", ["role"] = "guest" }),
            ["layout"] = "grid",
            ["size"] = $"{Width}x{Height}",
        };
        using var created = await RecordingRig.PostAsync(client, "api/compositions", body);
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(
            created.StatusCode == HttpStatusCode.Accepted,
            $"POST /api/compositions answered {(int)created.StatusCode} {created.StatusCode}, expected 202 Accepted"
            + (created.StatusCode == HttpStatusCode.NotFound ? " (a 404 here means the service has no compositions endpoint)" : "") + $": {text}");
        using (var answer = JsonDocument.Parse(text))
        {
            Assert.Equal(id, answer.RootElement.GetProperty("id").GetString());
            Assert.True(answer.RootElement.GetProperty("created").GetBoolean());
            Assert.Equal($"/api/compositions/{id}", new Uri(answer.RootElement.GetProperty("statusQueryGetUri").GetString()!).AbsolutePath);
        }

        Assert.EndsWith($"/api/compositions/{id}", created.Headers.Location?.ToString(), StringComparison.Ordinal);

        var ended = await RecordingRig.EndedCompositionAsync(client, id, CompletionDeadline);
        if (ended.GetProperty("runtimeStatus").GetString() != "Completed")
        {
            output.WriteLine("service:\n" + service.Tail());
        }

        Assert.True(ended.GetProperty("runtimeStatus").GetString() == "Completed", $"composition ended {ended.GetProperty("runtimeStatus").GetString()}: {ended.GetRawText()}");
        Assert.Equal("done", ended.GetProperty("phase").GetString());
        Assert.Equal(Orchestration.OrchestratorCodeVersion.Current, ended.GetProperty("orchestrationVersion").GetString());
        return ended;
    }

    private static DateTimeOffset FirstSegmentStart(JsonElement status) => status.GetProperty("segments")[0].GetProperty("startedAt").GetDateTimeOffset();

    /// <summary>The start of the first segment that begins more than a second after the one before it ended.</summary>
    private static DateTimeOffset BobFirstSegmentAfterGap(JsonElement status)
    {
        var segments = status.GetProperty("segments").EnumerateArray().ToList();
        var after = segments.Zip(segments.Skip(1)).First(pair => (pair.Second.GetProperty("startedAt").GetDateTimeOffset() - pair.First.GetProperty("endedAt").GetDateTimeOffset()).TotalSeconds > 1);
        return after.Second.GetProperty("startedAt").GetDateTimeOffset();
    }

    private static TimeSpan SplicedDuration(JsonElement status)
    {
        var spliced = Assert.Single(status.GetProperty("assets").EnumerateArray(), a => a.GetProperty("kind").GetString() == "spliced");
        return TimeSpan.Parse(spliced.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
    }

    private static JsonElement Track(List<JsonElement> tracks, string participant, string recordingId, string role)
    {
        var track = Assert.Single(tracks, t => t.GetProperty("participant").GetString() == participant);
        Assert.Equal(recordingId, track.GetProperty("recordingId").GetString());
        Assert.Equal(role, track.GetProperty("role").GetString());
        return track;
    }

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance, $"{what}: expected {expected:0.000} s within {Tolerance} s, got {actual:0.000} s");

    private static void AssertColour(RgbFrame frame, TimeSpan at, params (int X, int Y, Func<(byte R, byte G, byte B), bool> Matches, string Expected)[] checks)
    {
        foreach (var (x, y, matches, expected) in checks)
        {
            var pixel = frame.Pixel(x, y);
            Assert.True(matches(pixel), $"at {at.TotalSeconds:0.00} s, pixel ({x},{y}) is {pixel}, expected {expected}");
        }
    }

    private static bool IsRed((byte R, byte G, byte B) p) => p is { R: > 180, G: < 70, B: < 70 };

    private static bool IsBlue((byte R, byte G, byte B) p) => p is { R: < 70, G: < 70, B: > 180 };
}
