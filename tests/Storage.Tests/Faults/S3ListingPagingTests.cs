using Recording.Storage.Tests.Support;

namespace Recording.Storage.Tests.Faults;

/// <summary>Listing by prefix over several pages of s3rver's ListObjectsV2, and over pages that a broken store gets wrong.</summary>
public sealed class S3ListingPagingTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private static readonly string[] Names = ["a.ts", "b.ts", "c.ts", "d.ts", "e.ts"];

    [Fact]
    public async Task List_OverPagesOfTwo_GivesEveryObjectUnderThePrefixOnce()
    {
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        var prefix = await StoreFiveObjectsAsync("tenant-a/paged/");
        proxy.ObjectListing = new ObjectListingPaging { PageSize = 2 };
        using var destination = await s3.DestinationAsync(endpoint: proxy.Endpoint);

        var listed = new List<string>();
        await foreach (var item in destination.ListAsync(prefix))
        {
            listed.Add(item.Key);
        }

        Assert.Equal(Names.Select(n => prefix + n), listed);
        Assert.Equal(3, proxy.Count("ListObjects"));
    }

    [Theory]
    [InlineData(ObjectListingPaging.Fault.NoNextToken, "gives no continuation token", 1)] // the first page ends it
    [InlineData(ObjectListingPaging.Fault.SameTokenAgain, "gives the same continuation token again", 2)] // the second repeats its token
    public async Task List_WhenTheStorePagesWrongly_FailsNamingThePrefix_InsteadOfEndingShortOrAskingForEver(ObjectListingPaging.Fault fault, string expected, int pages)
    {
        // A short list taken as whole would leave objects behind a recording's delete that reported them gone.
        await using var proxy = FaultInjectingProxy.Start(s3.Endpoint);
        var prefix = await StoreFiveObjectsAsync($"tenant-a/paged-{fault}/");
        proxy.ObjectListing = new ObjectListingPaging { PageSize = 2, Paging = fault };
        using var destination = await s3.DestinationAsync(endpoint: proxy.Endpoint);

        var listed = new List<string>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in destination.ListAsync(prefix))
            {
                listed.Add(item.Key);
            }
        });

        Assert.Contains($"listing under '{prefix}' says it goes on but {expected}", error.Message, StringComparison.Ordinal);
        Assert.Equal(pages, proxy.Count("ListObjects"));
        Assert.Equal(Names.Take(2 * pages).Select(n => prefix + n), listed);
    }

    private async Task<string> StoreFiveObjectsAsync(string prefix)
    {
        using var files = new TestFiles();
        var path = files.Create(1000, seed: 5);
        using var direct = await s3.DestinationAsync();
        foreach (var name in Names)
        {
            await direct.UploadFileAsync(path, prefix + name);
        }

        return prefix;
    }
}
