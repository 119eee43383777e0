// AcrPull on the registry that holds the private images, for the identities that pull them: the service's pull identity
// and the worker jobs' identity. Deployed in the registry's resource group (main.bicep's registryResourceGroup), before
// the app and the jobs exist, so that their first pull already works: no grant by hand, no restart.

import { acrPull } from 'roles.bicep'

@description('The registry\'s resource name (myregistry for myregistry.azurecr.io).')
param registryName string

@description('The principal ids of the identities that pull from it (user-assigned, so that they exist before what uses them).')
param principalIds string[]

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in principalIds: {
    scope: registry
    name: guid(registry.id, principalId, acrPull)
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]
