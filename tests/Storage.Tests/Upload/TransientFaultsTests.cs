using System.Net.Sockets;
using Recording.Storage.Upload;

namespace Recording.Storage.Tests.Upload;

/// <summary>Which failures an upload retries: the store's and the network's, not a local file that is gone.</summary>
public sealed class TransientFaultsTests
{
    [Fact]
    public void ALocalFileThatIsGone_IsNotRetried_WhileALostConnectionIs()
    {
        Assert.False(TransientFaults.IsTransient(new FileNotFoundException("gone", "segment_00001.mp4"), CancellationToken.None));
        Assert.False(TransientFaults.IsTransient(new DirectoryNotFoundException("gone"), CancellationToken.None));
        Assert.True(TransientFaults.IsTransient(new IOException("connection reset", new SocketException((int)SocketError.ConnectionReset)), CancellationToken.None));
        Assert.True(TransientFaults.IsTransient(new HttpRequestException("reset"), CancellationToken.None));
    }
}
