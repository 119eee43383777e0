// The service's identity: user-assigned, so that it exists, with its roles, before the app does. A system-assigned
// identity is born with the app, and the app would start (the engine creates its task hub at once) before its roles
// were granted. The app names it in AZURE_CLIENT_ID, so every DefaultAzureCredential in the service takes it.
//
// Its roles: the engine's task hub (queues, tables, the payload container) and the jobs' queues on the account, the
// Functions host's own storage (AzureWebJobsStorage: its keys and locks in blobs), and sending recording.* events to the
// topic. Blob Data Owner rather than Contributor because the host's identity-based storage asks for it. main.bicep adds
// AcrPull when the images are private.

import { storageQueueDataContributor, storageTableDataContributor, storageBlobDataOwner, eventGridDataSender } from 'roles.bicep'

param location string
param namePrefix string
param tags object
param storageAccountName string
param eventGridTopicName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: eventGridTopicName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-service-identity'
  location: location
  tags: tags
}

resource storageAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [storageQueueDataContributor, storageTableDataContributor, storageBlobDataOwner]: {
    scope: account
    name: guid(account.id, identity.id, role)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Templates may name this topic for recording.* events; the service publishes as this identity.
resource topicAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: topic
  name: guid(topic.id, identity.id, eventGridDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', eventGridDataSender)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// A module given these outputs waits for this whole deployment, the role assignments included.
output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
