// Subscribes the service's events endpoint (POST /api/events) to an application's Event Grid topic, so that the
// application's Recording.Start, Recording.Stop and Composition.Start events start and stop recordings and compose
// rooms. Deployed after main.bicep, once the app runs, in the topic's resource group: Event Grid checks the endpoint
// (the CloudEvents handshake, or Event Grid's validation event) when the subscription is made, so it cannot be part of
// the deployment that creates the app.
//   az deployment group create -g <topic's group> -f infra/bicep/eventSubscription.bicep \
//     -p topicName=<topic> apiBaseUrl=<main.bicep's apiBaseUrl output> recorderKey=<a recorder key>

@description('The application\'s Event Grid topic (a custom topic in this resource group).')
param topicName string

@description('The service\'s API base URL: main.bicep\'s apiBaseUrl output (https://<app>.azurewebsites.net/api).')
param apiBaseUrl string

@secure()
@minLength(24)
@description('A recorder (or admin) key: Event Grid sends it as the code query parameter, which the Functions host and the app both check.')
param recorderKey string

@description('The event schema the topic delivers: CloudEvents 1.0 (the topic\'s input schema must be CloudEvents too) or Event Grid\'s own.')
@allowed(['CloudEventSchemaV1_0', 'EventGridSchema'])
param deliverySchema string = 'CloudEventSchemaV1_0'

@description('How long Event Grid keeps retrying an event the service does not take (a deployment, an outage), in minutes.')
@minValue(1)
@maxValue(1440)
param retryMinutes int = 1440

param subscriptionName string = 'recording-commands'

// The types the service acts on (src/Functions/Events/RecordingCommandEventTypes.cs); others would be acknowledged and ignored.
var commandTypes = ['Recording.Start', 'Recording.Stop', 'Composition.Start']

resource topic 'Microsoft.EventGrid/topics@2025-02-15' existing = {
  name: topicName
}

resource commands 'Microsoft.EventGrid/topics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: subscriptionName
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        // The key in the query, not a delivery header: Event Grid's validation handshake must pass the Functions host's key
        // check too. Event Grid keeps the URL secret (reads show only endpointBaseUrl); the linter cannot see that a value
        // built from a secure parameter is one.
        #disable-next-line use-secure-value-for-secure-inputs
        endpointUrl: '${apiBaseUrl}/events?code=${recorderKey}'
        // The endpoint checks a whole delivery before it acts on any event of it; small batches keep a bad event's 400
        // (which Event Grid does not retry) from holding back many good ones.
        maxEventsPerBatch: 10
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: deliverySchema
    filter: {
      includedEventTypes: commandTypes
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: retryMinutes
    }
  }
}

output subscriptionId string = commands.id
