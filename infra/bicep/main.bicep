// The recording service in one resource group: the service (Functions host with our custom handler), the capture
// worker as a Container Apps job, one storage account (engine, queues, shared recordings folder), an Event Grid topic
// for recording.* events, and logs. Build: bicep build infra/bicep/main.bicep. Deploy:
//   az deployment group create -g <group> -f infra/bicep/main.bicep -p serviceImage=<image> workerImage=<image> adminKey=<key>
// The recordings' assets go to the destination each template names (an S3 bucket or Azure Blob container of the
// user's), not to this storage account.

targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@minLength(3)
@maxLength(11)
@description('Lowercase letters and digits that start every resource name (the storage account adds a hash).')
param namePrefix string = 'recording'

@description('The service image: the Functions host base image with ffmpeg and the published app.')
param serviceImage string

@description('The capture worker image: Debian, ffmpeg and the published Recording.Worker.')
param workerImage string

@description('An Azure Container Registry (name.azurecr.io) holding both images, pulled with the service\'s and the job\'s identities (grant them AcrPull: see the outputs); empty for public images.')
param registryServer string = ''

@secure()
@minLength(24)
@description('The admin API key (x-functions-key), at least 24 characters; recorder keys can be added as app settings Recording__Keys__Recorder__N.')
param adminKey string

@description('The most recordings captured at once (capture job executions).')
@minValue(1)
@maxValue(1000)
param maxConcurrentRecordings int = 50

@description('The longest one capture execution runs, in seconds; a longer recording continues in the next execution on the same folder.')
@minValue(600)
@maxValue(86400)
param captureExecutionSeconds int = 86400

@description('Quota of the shared recordings folder in GiB.')
@minValue(100)
@maxValue(102400)
param shareQuotaGiB int = 1024

param tags object = { app: 'recording' }

// Names the service and the job must agree on.
var startQueueName = 'recording-job-start'
var eventsQueueName = 'recording-job-events'
var shareName = 'recordings'
var mountPath = '/mnt/recording'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, namePrefix: namePrefix, tags: tags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    startQueueName: startQueueName
    eventsQueueName: eventsQueueName
    shareName: shareName
    shareQuotaGiB: shareQuotaGiB
  }
}

module events 'modules/eventGrid.bicep' = {
  name: 'events'
  params: { location: location, namePrefix: namePrefix, tags: tags }
}

module service 'modules/service.bicep' = {
  name: 'service'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    storageAccountName: storage.outputs.accountName
    queueEndpoint: storage.outputs.queueEndpoint
    shareName: shareName
    mountPath: mountPath
    startQueueName: startQueueName
    eventsQueueName: eventsQueueName
    insightsName: monitoring.outputs.insightsName
    eventGridTopicName: events.outputs.name
    image: serviceImage
    registryServer: registryServer
    adminKey: adminKey
  }
}

module captureJob 'modules/captureJob.bicep' = {
  name: 'captureJob'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    storageAccountName: storage.outputs.accountName
    queueEndpoint: storage.outputs.queueEndpoint
    shareName: shareName
    mountPath: mountPath
    startQueueName: startQueueName
    workspaceName: monitoring.outputs.workspaceName
    image: workerImage
    registryServer: registryServer
    cpu: '0.25'
    memory: '0.5Gi'
    replicaTimeoutSeconds: captureExecutionSeconds
    maxConcurrentRecordings: maxConcurrentRecordings
  }
}

output apiBaseUrl string = 'https://${service.outputs.hostName}/api'
output eventGridTopicEndpoint string = events.outputs.endpoint
output captureJobName string = captureJob.outputs.name
// The identities to grant AcrPull on registryServer, when the images are private.
output servicePrincipalId string = service.outputs.principalId
output capturePrincipalId string = captureJob.outputs.principalId
