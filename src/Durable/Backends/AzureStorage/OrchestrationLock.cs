namespace Recording.Durable.Backends.AzureStorage;

/// <summary>What a locked orchestration work item carries for its commit: the instance row as locked (with its ETag) and the receipts of its messages.</summary>
internal sealed record OrchestrationLock(InstanceRow Row, IReadOnlyDictionary<string, List<ReceivedEnvelope>> MessagesById);
