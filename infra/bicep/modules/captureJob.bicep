// The capture worker as an event-triggered Azure Container Apps job: KEDA's azure-queue scaler starts one execution
// per start message; each execution runs `Recording.Worker job --once`, which takes one message, captures until the
// stop (read from the recording's control queue), the source's end or the maximum duration, and exits. If the platform
// ends an execution first (replica timeout, a restart), the worker finalises the open segment and makes the message
// visible again, and the next execution resumes the recording on the same folder of the shared file share.

import { storageQueueDataContributor } from 'roles.bicep'

param location string
param namePrefix string
param tags object
param storageAccountName string
param queueEndpoint string
param shareName string
param mountPath string
param startQueueName string
param workspaceName string

@description('The worker image (Debian, ffmpeg and the published Recording.Worker as its entry point).')
param image string

@description('An Azure Container Registry (name.azurecr.io) the image is pulled from with the job\'s identity, or empty for a public image.')
param registryServer string

@description('CPU cores per capture execution: capture copies streams (about 0.01 core per stream), so a quarter core is plenty.')
param cpu string

@description('Memory per capture execution, paired with the CPU as Container Apps requires (0.25 cores: 0.5Gi).')
param memory string

@description('The longest one execution may run, in seconds; a longer recording continues in the next execution.')
param replicaTimeoutSeconds int

@description('The most recordings captured at once.')
param maxConcurrentRecordings int

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-capture-identity'
  location: location
  tags: tags
}

resource queueAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: account
  name: guid(account.id, identity.id, storageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-jobs'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

resource environmentShare 'Microsoft.App/managedEnvironments/storages@2024-03-01' = {
  parent: environment
  name: 'recordings'
  properties: {
    azureFile: {
      accountName: account.name
      accountKey: account.listKeys().keys[0].value
      shareName: shareName
      accessMode: 'ReadWrite'
    }
  }
}

resource job 'Microsoft.App/jobs@2024-03-01' = {
  name: '${namePrefix}-capture'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [queueAccess]
  properties: {
    environmentId: environment.id
    configuration: {
      triggerType: 'Event'
      replicaTimeout: replicaTimeoutSeconds
      // The worker resumes a recording itself; a platform retry of a failed execution would only race the next one.
      replicaRetryLimit: 0
      secrets: [
        // KEDA's queue scaler reads the queue length with this; the worker itself uses the identity.
        {
          name: 'queue-connection'
          value: 'DefaultEndpointsProtocol=https;AccountName=${account.name};AccountKey=${account.listKeys().keys[0].value};EndpointSuffix=${az.environment().suffixes.storage}'
        }
      ]
      registries: empty(registryServer) ? [] : [{ server: registryServer, identity: identity.id }]
      eventTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
        scale: {
          minExecutions: 0
          maxExecutions: maxConcurrentRecordings
          pollingInterval: 5
          rules: [
            {
              name: 'start-queue'
              type: 'azure-queue'
              metadata: {
                accountName: account.name
                queueName: startQueueName
                queueLength: '1'
              }
              auth: [{ secretRef: 'queue-connection', triggerParameter: 'connection' }]
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
          args: [
            'job'
            '--once'
            '--queue-service-uri'
            queueEndpoint
            '--start-queue'
            startQueueName
            '--output-root'
            '${mountPath}/recordings'
          ]
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
      volumes: [{ name: 'recordings', storageType: 'AzureFile', storageName: environmentShare.name }]
    }
  }
}

output name string = job.name
output principalId string = identity.properties.principalId
