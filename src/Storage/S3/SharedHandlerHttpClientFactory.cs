using Amazon.Runtime;

namespace Recording.Storage.S3;

/// <summary>
/// Gives the AWS SDK HttpClients over one handler the host owns (<see cref="Upload.UploadOptions.HttpHandler"/>), so that
/// every request to the store follows the host's connection rules. The clients are light and not cached by the SDK;
/// the handler, which holds the connections, outlives them.
/// </summary>
internal sealed class SharedHandlerHttpClientFactory(HttpMessageHandler handler) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
        // The SDK sets its own client's timeout from the config; a client of ours must carry it too.
        => new(handler, disposeHandler: false) { Timeout = clientConfig.Timeout ?? TimeSpan.FromSeconds(100) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
}
