namespace Recording.Durable.Backends.AzureStorage;

/// <summary>Control-queue messages this worker received but has not handed out yet, grouped by instance.</summary>
/// <remarks>
/// One receive returns messages for many instances; only one instance is locked per call, so the rest wait here (still
/// invisible to other workers) instead of being put back and received again. A message whose instance is locked is kept
/// here too and retried shortly, which is what lets an activity result that arrives during its orchestration's commit be
/// processed right after it rather than after a queue delay. An entry is forgotten when its invisibility would not cover a
/// lock any more: the queue then delivers it again, to any worker.
/// </remarks>
internal sealed class ControlMessageBuffer
{
    private readonly object gate = new();
    private readonly List<Entry> entries = [];

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Sum(e => e.Messages.Count);
            }
        }
    }

    public void Add(IEnumerable<ReceivedEnvelope> received)
    {
        lock (gate)
        {
            foreach (var message in received)
            {
                var entry = entries.Find(e => e.InstanceId == message.Envelope.InstanceId);
                if (entry is null)
                {
                    entries.Add(new Entry(message.Envelope.InstanceId, [message], DateTimeOffset.MinValue));
                }
                else
                {
                    entry.Messages.Add(message);
                }
            }
        }
    }

    /// <summary>Takes all messages of the first instance that is due and not excluded, dropping messages whose invisibility ends before <paramref name="mustStayInvisibleUntil"/>.</summary>
    public (string InstanceId, List<ReceivedEnvelope> Messages)? TakeNext(DateTimeOffset now, DateTimeOffset mustStayInvisibleUntil, Func<string, bool> excluded)
    {
        lock (gate)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                entry.Messages.RemoveAll(m => m.InvisibleUntil < mustStayInvisibleUntil);
                if (entry.Messages.Count == 0)
                {
                    entries.RemoveAt(i--);
                    continue;
                }

                if (entry.NotBefore > now || excluded(entry.InstanceId))
                {
                    continue;
                }

                entries.RemoveAt(i);
                return (entry.InstanceId, entry.Messages);
            }

            return null;
        }
    }

    /// <summary>Keeps messages that could not be handed out now; they are tried again from <paramref name="notBefore"/>.</summary>
    public void PutBack(string instanceId, List<ReceivedEnvelope> messages, DateTimeOffset notBefore)
    {
        lock (gate)
        {
            var entry = entries.Find(e => e.InstanceId == instanceId);
            if (entry is null)
            {
                entries.Add(new Entry(instanceId, messages, notBefore));
            }
            else
            {
                entry.Messages.AddRange(messages);
                entry.NotBefore = notBefore;
            }
        }
    }

    private sealed class Entry(string instanceId, List<ReceivedEnvelope> messages, DateTimeOffset notBefore)
    {
        public string InstanceId { get; } = instanceId;

        public List<ReceivedEnvelope> Messages { get; } = messages;

        public DateTimeOffset NotBefore { get; set; } = notBefore;
    }
}
