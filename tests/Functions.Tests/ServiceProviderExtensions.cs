using Microsoft.Extensions.DependencyInjection;
using Recording.Functions.Templates;

namespace Recording.Functions.Tests;

/// <summary>Reaches the app's own services from a test, to check what was stored behind the HTTP answer.</summary>
public static class ServiceProviderExtensions
{
    public static ITemplateStore GetTemplateStore(this IServiceProvider services) => services.GetRequiredService<ITemplateStore>();
}
