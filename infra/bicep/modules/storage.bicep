// One storage account for everything the service keeps in Azure Storage: the Functions host's own state, the durable
// engine's task hub (queues, tables, blobs; created by the engine at start), the capture and media jobs' queues, and
// the file share that the service and the jobs all mount as the recordings' working folder.

param location string
param namePrefix string
param tags object

@description('The queue the capture job is started from; must match Recording__Jobs__Queue__StartQueueName and the job\'s --start-queue.')
param startQueueName string

@description('The queue capture events come back on (Recording__Jobs__Queue__EventsQueueName).')
param eventsQueueName string

@description('The queue media jobs (ladder, thumbnails) are started from; must match Recording__Jobs__Queue__MediaQueueName and the media job\'s --queue.')
param mediaQueueName string

@description('The Azure Files share mounted by the service and the jobs.')
param shareName string

@description('Quota of the share in GiB: segments stay there until uploaded and post-processed.')
param shareQuotaGiB int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take('${namePrefix}${uniqueString(resourceGroup().id)}', 24)
  location: location
  tags: tags
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The engine and the Functions content share still take a connection string; the queues are reached with identities.
    allowSharedKeyAccess: true
  }
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource startQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: startQueueName
}

resource eventsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: eventsQueueName
}

resource mediaQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queues
  name: mediaQueueName
}

resource files 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource share 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: files
  name: shareName
  properties: {
    shareQuota: shareQuotaGiB
    enabledProtocols: 'SMB'
  }
}

output accountName string = account.name
output queueEndpoint string = account.properties.primaryEndpoints.queue
