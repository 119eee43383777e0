using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;
using Recording.Functions.Network;
using Recording.Functions.Orchestration;
using Recording.Functions.Storage;

namespace Recording.Functions.Tests.Activities;

/// <summary>The service's destinations over a data directory, as the host builds them with the default options (private networks allowed).</summary>
internal static class LocalDestinations
{
    public static RecordingDestinations At(string dataDirectory, RecordingOrchestrationOptions? orchestration = null) => new(
        Options.Create(new LocalDataOptions { DataDirectory = dataDirectory }),
        new TemplateEndpointConnections(Options.Create(orchestration ?? new RecordingOrchestrationOptions())),
        NullLogger<RecordingDestinations>.Instance);
}
