// The recording service: the Functions host running our custom handler (host.json, one function.json per HTTP
// function, the Recording.Functions executable) in a Linux container on Elastic Premium.
//
// Why these choices:
// - A container, because the splice and HLS VOD activities run ffmpeg in the service's process (stream copies that
//   take seconds; the ladder and thumbnails, which transcode, go to the media job), and the Functions base image has
//   no ffmpeg. The image is the Functions host base image with Debian's ffmpeg and the published app in
//   /home/site/wwwroot.
// - Elastic Premium with one always-ready instance, scaling out to maxInstances. No state is local to an instance:
//   orchestrations live in the task hub, and the templates and the notification log in tables beside it, so
//   orchestrations survive restarts and the platform moving the app to a new instance mid-recording, and instances
//   side by side share the work: the engine's dispatchers and the capture event listener compete for it (instance
//   locks, ETag-fenced commits, queue messages). Both are tested (tests/Functions.Tests AzureEndToEndTests: an
//   instance replaced mid-recording; two instances with three recordings at once, each started, read and stopped
//   through either).

param location string
param namePrefix string
param tags object
param storageAccountName string
param queueEndpoint string
param shareName string
param mountPath string
param startQueueName string
param eventsQueueName string
param mediaQueueName string
param insightsName string

@description('The service image (Functions host base image, ffmpeg and the app), e.g. myregistry.azurecr.io/recording-service:1.0.')
param image string

@description('The service\'s user-assigned identity (serviceIdentity.bicep), with its roles granted already.')
param identityId string

@description('That identity\'s client id, which AZURE_CLIENT_ID gives every DefaultAzureCredential in the service.')
param identityClientId string

@description('Whether the image comes from a private registry (as the identity, which then has AcrPull).')
param privateImage bool

@secure()
@description('The admin API key (Recording__Keys__Admin__0), at least 24 characters.')
param adminKey string

@description('The most instances the app scales out to.')
param maxInstances int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan'
  location: location
  tags: tags
  kind: 'elastic'
  sku: { name: 'EP1', tier: 'ElasticPremium' }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maxInstances
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: '${namePrefix}-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  kind: 'functionapp,linux,container'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'DOCKER|${image}'
      minimumElasticInstanceCount: 1
      functionAppScaleLimit: maxInstances
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      azureStorageAccounts: {
        recordings: {
          type: 'AzureFiles'
          accountName: account.name
          shareName: shareName
          mountPath: mountPath
          accessKey: account.listKeys().keys[0].value
        }
      }
      // No registry password anywhere: a private image comes from ACR as the identity, which has AcrPull already.
      acrUseManagedIdentityCreds: privateImage
      acrUserManagedIdentityID: privateImage ? identityClientId : null
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }
        { name: 'WEBSITES_ENABLE_APP_SERVICE_STORAGE', value: 'false' }
        // The host's own storage (its keys, locks and diagnostics) as the identity too: no connection string.
        { name: 'AzureWebJobsStorage__blobServiceUri', value: account.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: account.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: account.properties.primaryEndpoints.table }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'Recording__Engine__Backend', value: 'azureStorage' }
        // The identity's, for the engine, the job queues and the topic: the only identity the app has.
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        // The engine reaches its task hub as the identity (Storage Queue, Table and Blob Data Contributor): no key.
        { name: 'Recording__Engine__AzureStorageAccountName', value: account.name }
        { name: 'Recording__Engine__AzureStorageEndpointSuffix', value: environment().suffixes.storage }
        // The capture and media jobs' queues, reached as the identity (Storage Queue Data Contributor).
        { name: 'Recording__Jobs__Queue__QueueServiceUri', value: queueEndpoint }
        { name: 'Recording__Jobs__Queue__StartQueueName', value: startQueueName }
        { name: 'Recording__Jobs__Queue__EventsQueueName', value: eventsQueueName }
        { name: 'Recording__Jobs__Queue__MediaQueueName', value: mediaQueueName }
        // The share the jobs write segments and transcodes into; recordings live in {DataDirectory}/recordings.
        { name: 'Recording__Local__DataDirectory', value: mountPath }
        { name: 'Recording__Keys__Admin__0', value: adminKey }
        { name: 'Recording__Orchestration__AllowPrivateNetworks', value: 'false' }
        // Recording__Http__PublicBaseUrl stays unset: the Functions host forwards the original request, whose host is the public one.
      ]
    }
  }
}

// The Functions host checks x-functions-key itself before it forwards a request (authLevel function), and the app then
// checks it again for the admin/recorder distinction: the admin key is a host key too, so that one key passes both.
// Bicep has no type for the host's keys (BCP081); ARM serves them as sites/host/default/functionKeys.
#disable-next-line BCP081
resource host 'Microsoft.Web/sites/host@2024-04-01' existing = {
  parent: site
  name: 'default'
}

#disable-next-line BCP081
resource adminHostKey 'Microsoft.Web/sites/host/functionKeys@2024-04-01' = {
  parent: host
  name: 'recording-admin'
  properties: {
    name: 'recording-admin'
    value: adminKey
  }
}

output hostName string = site.properties.defaultHostName
output name string = site.name
