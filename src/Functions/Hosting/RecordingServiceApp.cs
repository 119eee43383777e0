using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Recording.Functions.Compositions;
using Recording.Functions.Http;
using Recording.Functions.Notifications;
using Recording.Functions.Orchestration;
using Recording.Functions.Recordings;
using Recording.Functions.Serialization;
using Recording.Functions.Storage;
using Recording.Functions.Templates;

namespace Recording.Functions.Hosting;

/// <summary>Builds the one executable: self-hosted on Kestrel locally, or the custom handler behind the Azure Functions host.</summary>
public static class RecordingServiceApp
{
    public const string OpenApiPath = "/api/openapi.json";

    /// <summary>Builds the app. <paramref name="configureServices"/> runs after the defaults, so it can replace them (the orchestration, storage validation).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Request logs at Information would print query strings, and a function key may ride in ?code=.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Result", LogLevel.Warning);
        builder.WebHost.UseUrls(ListenUrls.Resolve(builder.Configuration));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        // The orchestration first: AddRecordingApi only fills in placeholders for what is not registered yet.
        builder.Services.AddRecordingOrchestration(builder.Configuration);
        builder.Services.AddRecordingApi();
        configureServices?.Invoke(builder);

        var app = builder.Build();
        app.UseRecordingApi();
        return app;
    }

    /// <summary>Registers everything the HTTP functions need, with placeholders for the parts other layers provide.</summary>
    public static IServiceCollection AddRecordingApi(this IServiceCollection services)
    {
        services.AddValidatedOptions<HttpHostingOptions>(HttpHostingOptions.Section);
        services.AddValidatedOptions<LocalDataOptions>(LocalDataOptions.Section);
        services.AddValidatedOptions<FunctionKeyOptions>(FunctionKeyOptions.Section);
        services.AddValidatedOptions<TemplateOptions>(TemplateOptions.Section);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<FunctionKeyRing>();
        services.AddSingleton<PublicBaseUrl>();
        services.AddSingleton<TemplateValidator>();
        services.AddSingleton<StartRecordingValidator>();
        services.AddSingleton<StartCompositionValidator>();
        services.AddSingleton<Events.EarlyStops>();
        services.AddRecordingNotifications();
        services.TryAddSingleton<ITemplateStore, SqliteTemplateStore>();
        services.TryAddSingleton<IRecordingService, UnwiredRecordingService>();
        services.TryAddSingleton<ICompositionService, UnwiredCompositionService>();
        services.TryAddSingleton<IStorageValidation, UnwiredStorageValidation>();

        services.ConfigureHttpJsonOptions(json => ApiJson.Configure(json.SerializerOptions));
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            if (context.Exception is ServiceNotWiredException unwired)
            {
                context.ProblemDetails.Type = ProblemTypes.Unavailable;
                context.ProblemDetails.Title = "Not available.";
                context.ProblemDetails.Detail = unwired.Message;
            }
            else if (status == StatusCodes.Status404NotFound && context.ProblemDetails.Type?.StartsWith("urn:", StringComparison.Ordinal) != true)
            {
                context.ProblemDetails.Type = ProblemTypes.NotFound;
                context.ProblemDetails.Detail ??= "No function answers this route.";
            }
            else if (status >= 500 && context.ProblemDetails.Type?.StartsWith("urn:", StringComparison.Ordinal) != true)
            {
                // Exception details never leave the process: they may hold paths, URLs or settings.
                context.ProblemDetails.Type = ProblemTypes.Internal;
                context.ProblemDetails.Detail = "The service failed; the error is in its log.";
                context.ProblemDetails.Extensions.Remove("exception");
            }
        });
        services.AddOpenApi("v1", openApi => openApi.AddDocumentTransformer<OpenApiSecuritySchemes>().AddSchemaTransformer<OpenApiSchemaShapes>());
        return services;
    }

    /// <summary>The request pipeline: problem+json for every failure, key checks, then the functions.</summary>
    public static WebApplication UseRecordingApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception switch
            {
                ServiceNotWiredException => StatusCodes.Status503ServiceUnavailable,
                BadHttpRequestException bad => bad.StatusCode,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseMiddleware<FunctionKeyMiddleware>();

        // Every function needs the admin right unless it says otherwise: a new function fails closed.
        var api = app.MapGroup("/api").WithMetadata(new RequiresKey(KeyRole.Admin));
        api.MapRecordingFunctions();
        api.MapCompositionFunctions();
        api.MapTemplateFunctions();
        api.MapStorageFunctions();
        api.MapEventFunctions();
        api.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }))
            .WithName("Health").WithMetadata(RequiresKey.Anonymous);
        app.MapOpenApi(OpenApiPath).WithName("OpenApi").WithMetadata(RequiresKey.Anonymous);
        return app;
    }
}
