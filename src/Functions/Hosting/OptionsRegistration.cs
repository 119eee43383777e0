using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Recording.Functions.Hosting;

/// <summary>Binds one options class to its configuration section and validates it when the service starts.</summary>
public static class OptionsRegistration
{
    public static IServiceCollection AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class, IValidatableOptions
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, SelfValidatingOptions<T>>());
        return services;
    }
}
