// What the worker's Container Apps jobs share: the managed environment (Consumption) with its logs and the recordings
// share, and one user-assigned identity with queue access. The capture and media jobs (workerJob.bicep) run in it.
//
// One identity for both jobs: each needs the same thing, Storage Queue Data Contributor on this account's queues (a
// role on the account, so a second identity would not narrow either job's access), and one identity is one AcrPull
// grant for the shared worker image.

import { storageQueueDataContributor } from 'roles.bicep'

param location string
param namePrefix string
param tags object
param storageAccountName string
param shareName string
param workspaceName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-worker-identity'
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
    // Through Azure Monitor, not the 'log-analytics' destination, which takes the workspace's shared key: the diagnostic
    // setting below sends the same logs to the same workspace without any key.
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
  }
}

// The jobs' stdout and stderr (ContainerAppConsoleLogs) and the platform's events about their executions
// (ContainerAppSystemLogs: scheduling, image pulls, replica timeouts), in the workspace's resource-specific tables.
resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: environment
  name: 'jobs-to-workspace'
  properties: {
    workspaceId: workspace.id
    logAnalyticsDestinationType: 'Dedicated'
    logs: [
      { category: 'ContainerAppConsoleLogs', enabled: true }
      { category: 'ContainerAppSystemLogs', enabled: true }
    ]
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

output environmentName string = environment.name
output shareStorageName string = environmentShare.name
// A job module given these outputs waits for this whole deployment, the queue role included, before its first execution.
output identityName string = identity.name
output principalId string = identity.properties.principalId
