using Recording.Storage.Tests.Support;

namespace Recording.Storage.Tests.Faults;

/// <summary>The proxy itself is faithful when it injects nothing: bodies, HEAD lengths and status codes pass through.</summary>
public sealed class FaultInjectingProxyTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task Proxy_ForwardsPutGetAndHead_Unchanged()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        using var http = new HttpClient();
        var url = new Uri($"{proxy.Endpoint}/{S3rverFixture.Bucket}/proxy/hello.txt");

        using (var put = await http.PutAsync(url, new StringContent("hello world")))
        {
            Assert.True(put.IsSuccessStatusCode, put.StatusCode.ToString());
        }

        Assert.Equal("hello world", await http.GetStringAsync(url));
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        Assert.Equal(11, head.Content.Headers.ContentLength);
        Assert.Equal(1, proxy.Count("PutObject"));
        Assert.Equal(1, proxy.Count("GetObject"));
        Assert.Equal(1, proxy.Count("HeadObject"));
    }
}
