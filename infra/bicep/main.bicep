// The recording service in one resource group: the service (Functions host with our custom handler), the worker as two
// Container Apps jobs (capture, and media for the transcodes), one storage account (engine, queues, shared recordings
// folder), an Event Grid topic for recording.* events, and logs. Build: bicep build infra/bicep/main.bicep. Deploy:
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

@description('The worker image of the capture and media jobs: Debian, ffmpeg and the published Recording.Worker.')
param workerImage string

@description('An Azure Container Registry (name.azurecr.io) holding both images, pulled with user-assigned identities that this template grants AcrPull; empty for public images.')
param registryServer string = ''

@description('The resource group of registryServer\'s registry, when it is not this one (same subscription); the deployment needs the right to assign roles there.')
param registryResourceGroup string = resourceGroup().name

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

@description('The most media jobs (ladder, thumbnails) run at once; each takes mediaJobCpu cores.')
@minValue(1)
@maxValue(100)
param maxConcurrentMediaJobs int = 4

@description('CPU cores per media job execution: x264 uses every core it is given.')
@allowed(['1.0', '1.5', '2.0'])
param mediaJobCpu string = '2.0'

@description('The longest one media job execution runs, in seconds: the ladder of a long recording takes about its length on two cores.')
@minValue(600)
@maxValue(86400)
param mediaExecutionSeconds int = 21600

@description('The most instances of the service (Elastic Premium scale-out; one is always ready). Nothing is local to an instance; two side by side, with recordings started, read and stopped through either, are tested.')
@minValue(1)
@maxValue(20)
param maxServiceInstances int = 2

@description('Quota of the shared recordings folder in GiB.')
@minValue(100)
@maxValue(102400)
param shareQuotaGiB int = 1024

param tags object = { app: 'recording' }

// Names the service and the jobs must agree on.
var startQueueName = 'recording-job-start'
var eventsQueueName = 'recording-job-events'
var mediaQueueName = 'recording-media-jobs'
var shareName = 'recordings'
var mountPath = '/mnt/recording'
// The service puts each recording's folder in {DataDirectory}/recordings; the jobs accept only folders under it.
var outputRoot = '${mountPath}/recordings'
// The Consumption profile pairs 2 GiB with each core.
var mediaJobMemory = { '1.0': '2Gi', '1.5': '3Gi', '2.0': '4Gi' }

var privateImages = !empty(registryServer)

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
    mediaQueueName: mediaQueueName
    shareName: shareName
    shareQuotaGiB: shareQuotaGiB
  }
}

module events 'modules/eventGrid.bicep' = {
  name: 'events'
  params: { location: location, namePrefix: namePrefix, tags: tags }
}

module serviceIdentity 'modules/serviceIdentity.bicep' = {
  name: 'serviceIdentity'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    storageAccountName: storage.outputs.accountName
    eventGridTopicName: events.outputs.name
  }
}

// AcrPull for the identities that pull the private images, before the app and the jobs that pull exist.
module registryPull 'modules/registryPull.bicep' = if (privateImages) {
  name: 'registryPull'
  scope: resourceGroup(registryResourceGroup)
  params: {
    // The login server is the registry's name, lowercased, with the registry domain: myregistry.azurecr.io.
    registryName: split(registryServer, '.')[0]
    principalIds: [serviceIdentity.outputs.principalId, jobEnvironment.outputs.principalId]
  }
}

module service 'modules/service.bicep' = {
  name: 'service'
  dependsOn: [registryPull]
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
    mediaQueueName: mediaQueueName
    insightsName: monitoring.outputs.insightsName
    image: serviceImage
    identityId: serviceIdentity.outputs.id
    identityClientId: serviceIdentity.outputs.clientId
    privateImage: privateImages
    adminKey: adminKey
    maxInstances: maxServiceInstances
  }
}

module jobEnvironment 'modules/jobEnvironment.bicep' = {
  name: 'jobEnvironment'
  params: {
    location: location
    namePrefix: namePrefix
    tags: tags
    storageAccountName: storage.outputs.accountName
    shareName: shareName
    workspaceName: monitoring.outputs.workspaceName
  }
}

// Takes one start message, captures until the stop, the source's end or the maximum duration, and exits. If the
// platform ends an execution first (replica timeout, a restart), the worker finalises the open segment and makes the
// message visible again, and the next execution resumes the recording on the same folder of the share.
module captureJob 'modules/workerJob.bicep' = {
  name: 'captureJob'
  dependsOn: [registryPull]
  params: {
    location: location
    tags: tags
    name: '${namePrefix}-capture'
    environmentName: jobEnvironment.outputs.environmentName
    shareStorageName: jobEnvironment.outputs.shareStorageName
    identityName: jobEnvironment.outputs.identityName
    storageAccountName: storage.outputs.accountName
    queueName: startQueueName
    image: workerImage
    registryServer: registryServer
    args: ['job', '--once', '--queue-service-uri', storage.outputs.queueEndpoint, '--start-queue', startQueueName, '--output-root', outputRoot]
    mountPath: mountPath
    // Capture copies streams (about 0.01 core per stream): a quarter core is plenty.
    cpu: '0.25'
    memory: '0.5Gi'
    replicaTimeoutSeconds: captureExecutionSeconds
    // The worker resumes a recording itself; a platform retry of a failed execution would only race the next one.
    replicaRetryLimit: 0
    maxExecutions: maxConcurrentRecordings
  }
}

// Takes one media job message (a ladder, thumbnails, a re-encoding splice or HLS VOD, a composition), transcodes with
// x264, writes the outputs and a result file beside them on the share for the service, and deletes the message. The
// splice and HLS VOD by copy stay in the service: they take seconds.
module mediaJob 'modules/workerJob.bicep' = {
  name: 'mediaJob'
  dependsOn: [registryPull]
  params: {
    location: location
    tags: tags
    name: '${namePrefix}-media'
    environmentName: jobEnvironment.outputs.environmentName
    shareStorageName: jobEnvironment.outputs.shareStorageName
    identityName: jobEnvironment.outputs.identityName
    storageAccountName: storage.outputs.accountName
    queueName: mediaQueueName
    image: workerImage
    registryServer: registryServer
    args: ['media-job', '--once', '--queue-service-uri', storage.outputs.queueEndpoint, '--queue', mediaQueueName, '--reply-queue', eventsQueueName, '--output-root', outputRoot]
    mountPath: mountPath
    cpu: mediaJobCpu
    memory: mediaJobMemory[mediaJobCpu]
    replicaTimeoutSeconds: mediaExecutionSeconds
    // No platform retry: a failed or timed-out execution leaves its message on the queue, which reappears after the
    // visibility timeout and starts a new execution, up to the worker's --max-dequeue-count. A platform retry would be a
    // second retry loop outside that count, and one more transcode racing the redelivered message for the job's lock.
    replicaRetryLimit: 0
    maxExecutions: maxConcurrentMediaJobs
  }
}

output apiBaseUrl string = 'https://${service.outputs.hostName}/api'
output eventGridTopicEndpoint string = events.outputs.endpoint
output captureJobName string = captureJob.outputs.name
output mediaJobName string = mediaJob.outputs.name
// The identities the service and the jobs act as (roles on the user's own resources: a destination's Blob container).
output servicePrincipalId string = serviceIdentity.outputs.principalId
output workerPrincipalId string = jobEnvironment.outputs.principalId
