using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Upload;

/// <summary>Players and CDNs play from the bucket only with the right Content-Type.</summary>
public sealed class ContentTypesTests
{
    [Theory]
    [InlineData("a/seg-0001.mp4", "video/mp4")]
    [InlineData("a/index.m3u8", "application/vnd.apple.mpegurl")]
    [InlineData("a/seg.TS", "video/mp2t")]
    [InlineData("a/init.m4s", "video/iso.segment")]
    [InlineData("a/audio.m4a", "audio/mp4")]
    [InlineData("a/thumb.jpg", "image/jpeg")]
    [InlineData("a/sprite.vtt", "text/vtt")]
    [InlineData("a/manifest.json", "application/json")]
    [InlineData("a/noextension", ContentTypes.Default)]
    [InlineData("a/strange.xyz", ContentTypes.Default)]
    public void For_MapsTheExtension(string key, string expected) => Assert.Equal(expected, ContentTypes.For(key));
}
