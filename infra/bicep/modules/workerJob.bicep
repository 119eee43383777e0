// One event-triggered Container Apps job of the worker image: KEDA's azure-queue scaler starts one execution per
// message on the job's queue, and each execution runs one `--once` command of Recording.Worker, which takes one
// message, does its work on the recordings share and exits. main.bicep makes two of these: the capture job and the
// media job (transcodes), which differ in command, queue, size, time limit and how many run at once.

param location string
param tags object

@description('The job\'s resource name.')
param name string

@description('The managed environment the job runs in (jobEnvironment.bicep).')
param environmentName string

@description('The environment\'s storage entry for the recordings share.')
param shareStorageName string

@description('The user-assigned identity the worker reaches the queues and pulls the image as.')
param identityName string

@description('The storage account whose queue starts the job (KEDA reads its length).')
param storageAccountName string

@description('The queue whose messages start executions; the worker\'s arguments must name the same queue.')
param queueName string

@description('The worker image (Debian, ffmpeg and the published Recording.Worker as its entry point).')
param image string

@description('An Azure Container Registry (name.azurecr.io) the image is pulled from with the job\'s identity, or empty for a public image.')
param registryServer string

@description('The worker\'s command line after the entry point, e.g. [\'job\', \'--once\', ...].')
param args string[]

@description('Where the recordings share is mounted; the arguments\' --output-root lies under it.')
param mountPath string

@description('CPU cores per execution, a Consumption pair with the memory (0.25/0.5Gi ... 2.0/4Gi).')
param cpu string

@description('Memory per execution, paired with the CPU.')
param memory string

@description('The longest one execution may run, in seconds.')
param replicaTimeoutSeconds int

@description('How often the platform reruns a failed execution; the worker\'s own retry is the queue message\'s redelivery.')
@minValue(0)
param replicaRetryLimit int

@description('The most executions at once.')
@minValue(1)
param maxExecutions int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' existing = {
  name: environmentName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    environmentId: environment.id
    configuration: {
      triggerType: 'Event'
      replicaTimeout: replicaTimeoutSeconds
      replicaRetryLimit: replicaRetryLimit
      registries: empty(registryServer) ? [] : [{ server: registryServer, identity: identity.id }]
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxExecutions
          pollingInterval: 5
          rules: [
            {
              name: 'queue'
              type: 'azure-queue'
              metadata: {
                accountName: account.name
                queueName: queueName
                queueLength: '1'
              }
              // KEDA's queue scaler reads the queue length as the job's identity (Storage Queue Data Contributor), as the
              // worker does: no connection string.
              identity: identity.id
            }
          ]
        }
      }
    }
    template: {
      containers: [
        {
          name: 'worker'
          image: image
          args: args
          env: [
            // DefaultAzureCredential picks the user-assigned identity by its client id.
            { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
          ]
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          volumeMounts: [{ volumeName: 'recordings', mountPath: mountPath }]
        }
      ]
      volumes: [{ name: 'recordings', storageType: 'AzureFile', storageName: shareStorageName }]
    }
  }
}

output name string = job.name
