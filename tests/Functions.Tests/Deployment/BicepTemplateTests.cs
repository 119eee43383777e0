using System.Reflection;
using System.Text.Json.Nodes;
using Azure.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recording.Functions.Hosting;
using Recording.Functions.Jobs;
using Recording.TestSupport;

namespace Recording.Functions.Tests.Deployment;

/// <summary>
/// infra/bicep, compiled and linted offline, and checked against the code it deploys: the service's app settings must
/// pass the service's own startup validation, and the service and each worker job (capture, media) must agree on queues
/// and folders.
/// </summary>
public sealed class BicepTemplateTests
{
    [Fact]
    public async Task EveryBicepFile_BuildsAndLintsWithoutADiagnostic()
    {
        await Bicep.BuildMainAsync();
        var files = Directory.GetFiles(Path.GetDirectoryName(Bicep.MainFile)!, "*.bicep", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, $"expected main.bicep and its modules, found {files.Length} files");
        foreach (var file in files)
        {
            // The linter's findings are warnings with exit code 0: any output at all fails the test.
            var (exitCode, _, diagnostics) = await Bicep.RunAsync("lint", file);
            Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep lint {Path.GetFileName(file)} exited {exitCode}: {diagnostics}");
        }
    }

    [Fact]
    public async Task ServiceAppSettings_PassTheServicesStartupValidation_AndSelectTheQueueJobWithTheManagedIdentity()
    {
        var template = await Bicep.BuildMainAsync();
        var settings = ServiceSettings(template);

        Assert.Equal("custom", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("azureStorage", settings["Recording__Engine__Backend"]);
        Assert.Equal("false", settings["Recording__Orchestration__AllowPrivateNetworks"]);

        // The host checks the key before the app does: the app's admin key must be a host key as well.
        var service = template.Module("service");
        var hostKey = (string?)template.Resource(service, "Microsoft.Web/sites/host/functionKeys")["properties"]!["value"];
        Assert.Equal(SiteSettings(template)["Recording__Keys__Admin__0"], hostKey);

        // Values known only in Azure (keys, endpoints) get stand-ins of the right shape; every other value is the template's own.
        var arguments = settings.Where(s => s.Key.StartsWith("Recording__", StringComparison.Ordinal)).Select(s => $"--{s.Key.Replace("__", ":", StringComparison.Ordinal)}={s.Value ?? StandIn(s.Key)}").ToList();
        await using var app = RecordingServiceApp.Build([$"--urls=http://127.0.0.1:{FreePort.Next()}", .. arguments]);

        var failures = new List<string>();
        foreach (var optionsType in typeof(IValidatableOptions).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(IValidatableOptions).IsAssignableFrom(t)))
        {
            var options = app.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(optionsType));
            try
            {
                _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures);
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.IsType<QueueCaptureJobRunner>(app.Services.GetRequiredService<ICaptureJobRunner>());
        Assert.IsType<DefaultAzureCredential>(app.Services.GetRequiredService<IOptions<QueueCaptureJobOptions>>().Value.Credential);

        // The engine reaches its task hub as the identity: the account's endpoints and a credential, no key in any setting of ours.
        var engine = app.Services.GetRequiredService<IOptions<Engine.EngineOptions>>().Value.ToAzureStorageBackendOptions(() => new DefaultAzureCredential());
        Assert.Null(engine.ConnectionString);
        Assert.Equal(new Uri("https://standin.table.core.windows.net/"), engine.TableServiceUri);
        Assert.IsType<DefaultAzureCredential>(engine.Credential);
        Assert.DoesNotContain(SiteSettings(template), s => s.Key.StartsWith("Recording__", StringComparison.Ordinal) && s.Value.Contains("listKeys", StringComparison.Ordinal));

        // And so does the service's own state: nothing in a local file, so that any instance can answer any request.
        Assert.IsType<Functions.Templates.TableTemplateStore>(app.Services.GetRequiredService<Functions.Templates.ITemplateStore>());
        Assert.IsType<Functions.Notifications.TableDeliveryLog>(app.Services.GetRequiredService<Functions.Notifications.IDeliveryLog>());

        // Every DefaultAzureCredential in the app takes the one identity the app has, whose roles were granted before it.
        var site = template.Resource(service, "Microsoft.Web/sites");
        Assert.Equal("[parameters('identityClientId')]", SiteSettings(template)["AZURE_CLIENT_ID"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'serviceIdentity'), '2025-04-01').outputs.clientId.value]", template.PassedTo(service, "identityClientId"));
        var identity = template.Module("serviceIdentity");
        var grants = template.Resources(identity, "Microsoft.Authorization/roleAssignments");
        Assert.Equal(
            ["974c5e8b-45b9-4653-ba55-5f855dd0fb88", "0a9a7e1f-b9d0-4cc4-a60d-0319b160d3a3", "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"],
            RoleIds(identity, grants.Single(g => g["copy"] is not null)));
        Assert.Contains(grants, g => g["copy"] is null && (string?)g["properties"]!["roleDefinitionId"] == "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('eventGridDataSender'))]");
    }

    [Fact]
    public async Task JobLogs_ReachTheWorkspaceThroughAzureMonitor_WithoutTheWorkspaceKey()
    {
        var template = await Bicep.BuildMainAsync();
        var jobs = template.Module("jobEnvironment");

        // The 'log-analytics' destination would take the workspace's shared key; 'azure-monitor' takes none and leaves the
        // routing to a diagnostic setting on the environment.
        var environment = template.Resource(jobs, "Microsoft.App/managedEnvironments");
        Assert.Equal("azure-monitor", (string?)environment["properties"]!["appLogsConfiguration"]!["destination"]);
        Assert.Null(environment["properties"]!["appLogsConfiguration"]!["logAnalyticsConfiguration"]);

        // That setting sends the jobs' console output and the platform's events about them to the monitoring module's workspace.
        var setting = template.Resource(jobs, "Microsoft.Insights/diagnosticSettings");
        Assert.Equal("[resourceId('Microsoft.App/managedEnvironments', format('{0}-jobs', parameters('namePrefix')))]", (string?)setting["scope"]);
        Assert.Equal("[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]", (string?)setting["properties"]!["workspaceId"]);
        Assert.Equal("[reference(resourceId('Microsoft.Resources/deployments', 'monitoring'), '2025-04-01').outputs.workspaceName.value]", template.PassedTo(jobs, "workspaceName"));
        var categories = setting["properties"]!["logs"]!.AsArray().Where(l => (bool)l!["enabled"]!).Select(l => (string?)l!["category"]).Order(StringComparer.Ordinal);
        Assert.Equal(["ContainerAppConsoleLogs", "ContainerAppSystemLogs"], categories);
    }

    [Fact]
    public async Task AccountKeys_AreReadOnlyWhereThePlatformTakesNothingElse_TheHostAndTheJobScalersUseTheIdentities()
    {
        var template = await Bicep.BuildMainAsync();

        // The storage account's key is read only for the SMB mounts of the share (App Service and Container Apps mount Azure
        // Files with a key): nowhere else, app settings, secrets and the jobs' logs included.
        Assert.Equal(
            [
                "jobEnvironment/Microsoft.App/managedEnvironments/storages/azureFile/accountKey",
                "service/Microsoft.Web/sites/siteConfig/azureStorageAccounts/recordings/accessKey",
            ],
            template.PlacesCalling("listKeys").Order(StringComparer.Ordinal));

        // The Functions host's own storage is reached as the service's identity (Blob Data Owner among its roles, above).
        var settings = SiteSettings(template);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Equal($"[reference(resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName')), '2023-05-01').primaryEndpoints.{service}]", settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
        }

        // Each job's KEDA queue scaler reads the queue length as the job's own identity, which has queue access; no secret is left.
        foreach (var jobModule in new[] { "captureJob", "mediaJob" })
        {
            var job = template.Module(jobModule);
            var resource = template.Resource(job, "Microsoft.App/jobs");
            var rule = resource["properties"]!["configuration"]!["eventTriggerConfig"]!["scale"]!["rules"]!.AsArray().Single()!;
            Assert.Equal("[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]", (string?)rule["identity"]);
            Assert.Equal(template.PassedTo(job, "storageAccountName"), template.PassedTo(template.Module("jobEnvironment"), "storageAccountName"));
            Assert.Null(rule["auth"]);
            Assert.Null(resource["properties"]!["configuration"]!["secrets"]);
            var assigned = Assert.Single(resource["identity"]!["userAssignedIdentities"]!.AsObject()).Key;
            Assert.Equal("[format('{0}', resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')))]", assigned);
        }
    }

    [Fact]
    public async Task ServiceScaleOut_OneLimitForThePlanAndTheApp_TwoInstancesByDefault_TheTestedCount()
    {
        var template = await Bicep.BuildMainAsync();
        var service = template.Module("service");
        Assert.Equal("[parameters('maxServiceInstances')]", template.PassedTo(service, "maxInstances"));
        Assert.Equal(2, (int)template.DefaultOf("maxServiceInstances")!);
        var plan = template.Resource(service, "Microsoft.Web/serverfarms");
        var siteConfig = template.Resource(service, "Microsoft.Web/sites")["properties"]!["siteConfig"]!;
        Assert.Equal("[parameters('maxInstances')]", (string?)plan["properties"]!["maximumElasticWorkerCount"]);
        Assert.Equal("[parameters('maxInstances')]", (string?)siteConfig["functionAppScaleLimit"]);
        Assert.Equal(1, (int)siteConfig["minimumElasticInstanceCount"]!);
    }

    [Theory]
    [InlineData("captureJob", "job", "--start-queue", "Recording__Jobs__Queue__StartQueueName")]
    [InlineData("mediaJob", "media-job", "--queue", "Recording__Jobs__Queue__MediaQueueName")]
    public async Task ServiceAndWorkerJob_AgreeOnTheJobsQueueAndTheSharedRecordingsFolder(string jobModule, string command, string queueOption, string queueSetting)
    {
        var template = await Bicep.BuildMainAsync();
        var settings = ServiceSettings(template);
        var service = template.Module("service");
        var job = template.Module(jobModule);
        var dataDirectory = settings["Recording__Local__DataDirectory"]!;

        var resource = template.Resource(job, "Microsoft.App/jobs");
        var container = resource["properties"]!["template"]!["containers"]!.AsArray().Single()!;
        var args = template.ResolveArray(job, container["args"]!).ToList();
        string? After(string option) => args[args.IndexOf(option) + 1];

        Assert.Equal([command, "--once"], args.Take(2));

        // The service sends to the queue its setting names; the job's scaler must watch that queue and the worker take from it.
        var queue = settings[queueSetting];
        Assert.NotNull(queue);
        Assert.Equal(queue, After(queueOption));
        var rule = resource["properties"]!["configuration"]!["eventTriggerConfig"]!["scale"]!["rules"]!.AsArray().Single()!;
        Assert.Equal(queue, template.Resolve(job, (string)rule["metadata"]!["queueName"]!));
        Assert.Contains(queue, StorageQueues(template));
        Assert.Equal(template.PassedTo(service, "queueEndpoint"), template.PassedArrayTo(job, "args")[args.IndexOf("--queue-service-uri") + 1]);

        // The service puts each recording's folder in {DataDirectory}/recordings, and the job accepts only folders under its root.
        Assert.Equal(Path.Combine(dataDirectory, "recordings"), After("--output-root"));
        Assert.Equal(dataDirectory, template.Resolve(job, (string)container["volumeMounts"]![0]!["mountPath"]!));

        // The media job's replies go where the service's listener reads the capture events.
        if (args.Contains("--reply-queue"))
        {
            Assert.Equal(settings["Recording__Jobs__Queue__EventsQueueName"], After("--reply-queue"));
        }
        else
        {
            Assert.Equal("captureJob", jobModule);
        }
    }

    [Fact]
    public async Task ServiceAndJobEnvironment_MountTheOneShare_AndTheEventsQueueExists()
    {
        var template = await Bicep.BuildMainAsync();
        var settings = ServiceSettings(template);
        var service = template.Module("service");
        var storage = template.Module("storage");
        var environment = template.Module("jobEnvironment");
        var dataDirectory = settings["Recording__Local__DataDirectory"]!;

        Assert.Contains(settings["Recording__Jobs__Queue__EventsQueueName"], StorageQueues(template));

        // The service mounts the share at its data directory; the jobs mount the environment's entry for it there (above).
        var siteMount = template.Resource(service, "Microsoft.Web/sites")["properties"]!["siteConfig"]!["azureStorageAccounts"]!["recordings"]!;
        Assert.Equal(dataDirectory, template.Resolve(service, (string)siteMount["mountPath"]!));
        var share = template.ChildName(storage, template.Resource(storage, "Microsoft.Storage/storageAccounts/fileServices/shares"));
        Assert.NotNull(share);
        Assert.Equal(share, template.Resolve(service, (string)siteMount["shareName"]!));
        var environmentShare = template.Resource(environment, "Microsoft.App/managedEnvironments/storages")["properties"]!["azureFile"]!;
        Assert.Equal(share, template.Resolve(environment, (string)environmentShare["shareName"]!));
    }

    [Fact]
    public async Task PrivateImages_ArePulledByIdentitiesGrantedAcrPull_BeforeTheAppAndTheJobsThatPullExist()
    {
        const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
        var template = await Bicep.BuildMainAsync();
        var pull = template.Module("registryPull");

        // Only with a registry, and in the registry's resource group (which may not be the app's).
        Assert.Equal("[variables('privateImages')]", (string?)pull["condition"]);
        Assert.Equal("[parameters('registryResourceGroup')]", (string?)pull["resourceGroup"]);
        var grant = template.Resource(pull, "Microsoft.Authorization/roleAssignments");
        Assert.Equal("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('acrPull'))]", (string?)grant["properties"]!["roleDefinitionId"]);
        Assert.Equal(AcrPull, (string?)pull["properties"]!["template"]!["variables"]!["acrPull"]);
        Assert.Equal("[parameters('principalIds')[copyIndex()]]", (string?)grant["properties"]!["principalId"]);
        Assert.Equal("[length(parameters('principalIds'))]", (string?)grant["copy"]!["count"]);

        // Both pulling identities: the service's and the jobs'.
        var grantees = template.PassedArrayTo(pull, "principalIds");
        Assert.Equal(2, grantees.Count);
        Assert.Contains(grantees, g => g.Contains("'serviceIdentity'", StringComparison.Ordinal) && g.EndsWith(".outputs.principalId.value]", StringComparison.Ordinal));
        Assert.Contains(grantees, g => g.Contains("'jobEnvironment'", StringComparison.Ordinal) && g.EndsWith(".outputs.principalId.value]", StringComparison.Ordinal));

        // The app and the jobs wait for the grant: their first pull already has it.
        foreach (var puller in new[] { "service", "captureJob", "mediaJob" })
        {
            var dependsOn = template.Module(puller)["dependsOn"]!.AsArray().Select(d => (string)d!).ToList();
            Assert.Contains(dependsOn, d => d.EndsWith("'Microsoft.Resources/deployments', 'registryPull')]", StringComparison.Ordinal));
        }

        // The app pulls as its identity, by its client id.
        var service = template.Module("service");
        var site = template.Resource(service, "Microsoft.Web/sites");
        Assert.Equal("[if(parameters('privateImage'), parameters('identityClientId'), null())]", (string?)site["properties"]!["siteConfig"]!["acrUserManagedIdentityID"]);
        Assert.Equal("[variables('privateImages')]", template.PassedTo(service, "privateImage"));
    }

    [Fact]
    public async Task EventSubscription_DeliversEveryCommandTypeTheServiceActsOn_ToTheEventsFunctionWithTheKeyInTheQuery()
    {
        var file = Path.Combine(Path.GetDirectoryName(Bicep.MainFile)!, "eventSubscription.bicep");
        var (exitCode, output, diagnostics) = await Bicep.RunAsync("build", file, "--stdout");
        Assert.True(exitCode == 0 && diagnostics.Length == 0, $"bicep build exited {exitCode}: {diagnostics}");
        var template = JsonNode.Parse(output)!.AsObject();
        var subscription = Assert.Single(template["resources"]!.AsArray(), r => (string?)r!["type"] == "Microsoft.EventGrid/topics/eventSubscriptions")!;

        // Every type the service acts on, and nothing else: a type added to the code and not here would never arrive.
        var commandTypes = typeof(Events.RecordingCommandEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);
        Assert.Equal("[variables('commandTypes')]", (string?)subscription["properties"]!["filter"]!["includedEventTypes"]);
        Assert.Equal(commandTypes, template["variables"]!["commandTypes"]!.AsArray().Select(t => (string)t!).Order(StringComparer.Ordinal));

        // To the route of the events function, under main.bicep's apiBaseUrl, with the key where the host looks for it.
        var route = (string?)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "src", "Functions", "FunctionDefinitions", "ReceiveEvents", "function.json")))!["bindings"]![0]!["route"];
        Assert.Equal($"[format('{{0}}/{route}?code={{1}}', parameters('apiBaseUrl'), parameters('recorderKey'))]", (string?)subscription["properties"]!["destination"]!["properties"]!["endpointUrl"]);
        Assert.Equal("securestring", (string?)template["parameters"]!["recorderKey"]!["type"]);
        var main = await Bicep.BuildMainAsync();
        Assert.StartsWith("[format('https://{0}/api', ", main.Output("apiBaseUrl"), StringComparison.Ordinal);
    }

    /// <summary>The queues the storage module creates, by name.</summary>
    private static List<string?> StorageQueues(CompiledTemplate template)
    {
        var storage = template.Module("storage");
        return [.. template.Resources(storage, "Microsoft.Storage/storageAccounts/queueServices/queues").Select(q => template.ChildName(storage, q))];
    }

    /// <summary>The service's app settings, each value resolved, or null where only Azure knows it.</summary>
    private static Dictionary<string, string?> ServiceSettings(CompiledTemplate template)
    {
        var service = template.Module("service");
        return SiteSettings(template).ToDictionary(s => s.Key, s => template.Resolve(service, s.Value));
    }

    /// <summary>The service's app settings as the compiled template writes them (values may be ARM expressions).</summary>
    private static Dictionary<string, string> SiteSettings(CompiledTemplate template)
    {
        var siteConfig = template.Resource(template.Module("service"), "Microsoft.Web/sites")["properties"]!["siteConfig"]!;
        return siteConfig["appSettings"]!.AsArray().ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!);
    }

    /// <summary>The role definition ids a role assignment loop over a literal list of role variables grants, in order.</summary>
    private static List<string> RoleIds(JsonObject module, JsonObject assignments)
    {
        var variables = module["properties"]!["template"]!["variables"]!;
        var loop = (string)assignments["copy"]!["count"]!;
        Assert.StartsWith("[length(", loop, StringComparison.Ordinal);
        return [.. System.Text.RegularExpressions.Regex.Matches(loop, @"variables\('(?<name>\w+)'\)").Select(m => (string)variables[m.Groups["name"].Value]!)];
    }

    private static string StandIn(string setting) => setting switch
    {
        "Recording__Engine__AzureStorageAccountName" => "standin",
        "Recording__Engine__AzureStorageEndpointSuffix" => "core.windows.net",
        "Recording__Jobs__Queue__QueueServiceUri" => "https://standin.queue.core.windows.net/",
        "Recording__Keys__Admin__0" => new string('k', 56),
        _ => throw new InvalidOperationException($"{setting} is known only in Azure and the test has no stand-in for it: add one of its shape"),
    };
}
