// An Event Grid topic for the recording.* events, in CloudEvents 1.0 as the service sends them. A template names it
// (notifications.eventGrid.endpoint); subscribers (Functions, Logic Apps, webhooks) subscribe to it.

param location string
param namePrefix string
param tags object

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: '${namePrefix}-events-${uniqueString(resourceGroup().id)}'
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    // The service publishes with its managed identity; keys stay off.
    disableLocalAuth: true
  }
}

output name string = topic.name
output endpoint string = topic.properties.endpoint
