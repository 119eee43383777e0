using Recording.Storage.Keys;

namespace Recording.Storage.Tests.Keys;

/// <summary>Keys follow DESIGN.md's layout and refuse hostile parts by rule.</summary>
public sealed class ObjectKeyBuilderTests
{
    private static readonly ObjectKeyContext Context = new("rec-42", new DateTimeOffset(2026, 3, 7, 23, 30, 0, TimeSpan.FromHours(-2)), "cam1");

    [Fact]
    public void Build_FollowsTheDesignLayout_WithUtcDateFolders()
    {
        var builder = new ObjectKeyBuilder("customers/acme");

        Assert.Equal("customers/acme/2026/03/08/rec-42/segments/seg-0001.mp4", builder.Build(Context, ObjectKind.Segments, "seg-0001.mp4"));
        Assert.Equal("customers/acme/2026/03/08/rec-42/renditions/720p/index.m3u8", builder.Build(Context, ObjectKind.Rendition(720), "index.m3u8"));
        Assert.Equal("customers/acme/2026/03/08/rec-42/tracks/alice/audio.m4a", builder.Build(Context, ObjectKind.Track("alice"), "audio.m4a"));
    }

    [Fact]
    public void Build_ExpandsPlaceholdersInThePrefixTemplate()
    {
        var builder = new ObjectKeyBuilder("{streamId}/{yyyy}-{MM}");

        Assert.Equal("cam1/2026-03/2026/03/08/rec-42/hls/index.m3u8", builder.Build(Context, ObjectKind.Hls, "index.m3u8"));
        Assert.Equal("2026/03/08/rec-42/metadata/manifest.json", new ObjectKeyBuilder("").Build(Context, ObjectKind.Metadata, "manifest.json"));
    }

    [Theory]
    [InlineData("../x", ObjectKeyRules.NoParentSegments)]
    [InlineData("a/../../x", ObjectKeyRules.NoParentSegments)]
    [InlineData("/abs", ObjectKeyRules.NoAbsolutePath)]
    [InlineData("C:/abs", ObjectKeyRules.NoAbsolutePath)]
    [InlineData("a\0b", ObjectKeyRules.NoControlCharacters)]
    [InlineData("a\nb", ObjectKeyRules.NoControlCharacters)]
    [InlineData("a\u001bb", ObjectKeyRules.NoControlCharacters)]
    [InlineData("a\\b", ObjectKeyRules.NoBackslash)]
    [InlineData("a//b", ObjectKeyRules.NoEmptySegments)]
    [InlineData("", ObjectKeyRules.NotEmpty)]
    public void Sanitizer_RefusesHostileKeys_NamingTheRule(string key, string rule)
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => ObjectKeySanitizer.Path("key", key));

        Assert.Equal(rule, error.Rule);
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.Contains("key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("..", ObjectKeyRules.NoParentSegments)]
    [InlineData("a/b", ObjectKeyRules.SingleSegment)]
    [InlineData("x\u0007", ObjectKeyRules.NoControlCharacters)]
    public void Build_RefusesAHostileRecordingId_NamingFieldAndRule(string recordingId, string rule)
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => new ObjectKeyBuilder("p").Build(Context with { RecordingId = recordingId }, ObjectKind.Segments, "f.mp4"));

        Assert.Equal("recordingId", error.Field);
        Assert.Equal(rule, error.Rule);
    }

    [Fact]
    public void Build_RefusesAFileNameThatClimbsOut()
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => new ObjectKeyBuilder("p").Build(Context, ObjectKind.Segments, "../../etc/passwd"));

        Assert.Equal("file", error.Field);
    }

    [Theory]
    [InlineData("{bucket}/x", ObjectKeyRules.KnownPlaceholders)]
    [InlineData("../up", ObjectKeyRules.NoParentSegments)]
    [InlineData("/root", ObjectKeyRules.NoAbsolutePath)]
    public void PrefixTemplate_IsValidatedUpFront(string template, string rule)
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => new ObjectKeyBuilder(template));

        Assert.Equal("prefixTemplate", error.Field);
        Assert.Equal(rule, error.Rule);
    }
}
