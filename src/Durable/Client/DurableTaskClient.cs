using Recording.Durable.Backends;
using Recording.Durable.Dispatch;
using Recording.Durable.History;
using Recording.Durable.Instances;

namespace Recording.Durable.Client;

/// <summary>Starts and manages orchestration instances (the counterpart of Durable Functions' <c>DurableTaskClient</c>).</summary>
public sealed class DurableTaskClient
{
    private readonly IDurableBackend backend;
    private readonly WorkSignal? signal;
    private readonly TimeProvider time;
    private readonly string? defaultVersion;

    /// <param name="backend">Where instances live.</param>
    /// <param name="signal">The worker's wake-up signal when the worker runs in this process; null otherwise.</param>
    /// <param name="time">The clock for timestamps (tests may substitute it).</param>
    /// <param name="defaultVersion">The orchestration version of the instances this client starts unless told otherwise (the code's version: see <see cref="Versioning.OrchestrationVersioning"/>).</param>
    public DurableTaskClient(IDurableBackend backend, WorkSignal? signal = null, TimeProvider? time = null, string? defaultVersion = null)
    {
        this.backend = backend;
        this.signal = signal;
        this.time = time ?? TimeProvider.System;
        this.defaultVersion = defaultVersion;
    }

    /// <summary>Schedules an orchestration. With an instance id that is Pending, Running or Suspended, nothing new is started and that id is returned
    /// (idempotent); with the id of an ended instance, the instance starts anew.</summary>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        InstanceIdRules.Validate(instanceId, "options.InstanceId");
        var now = time.GetUtcNow();
        var started = new ExecutionStarted(orchestratorName, Guid.NewGuid().ToString("N"), input is null ? null : DurableJson.Serialize(input))
        {
            ScheduledStartAt = options?.StartAt,
            Timestamp = now,
            Version = options?.Version ?? defaultVersion,
        };
        await backend.CreateInstanceAsync(instanceId, started, now, cancellationToken);
        if (options?.StartAt is { } startAt && startAt > now)
        {
            signal?.NotifyOrchestrationWorkAt(startAt);
        }
        else
        {
            signal?.NotifyOrchestrationWork();
        }

        return instanceId;
    }

    /// <summary>Sends an external event; an instance that is not waiting for it yet keeps it until it does.</summary>
    public Task RaiseEventAsync(string instanceId, string eventName, object? eventData = null, CancellationToken cancellationToken = default)
    {
        InstanceIdRules.Validate(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, new EventRaised(eventName, eventData is null ? null : DurableJson.Serialize(eventData)), cancellationToken);
    }

    /// <summary>Terminates a running instance with a reason (its output); by default its running sub-orchestrations are terminated too.</summary>
    public async Task TerminateInstanceAsync(string instanceId, string? reason = null, bool recursive = true, CancellationToken cancellationToken = default)
    {
        var state = await RequireAsync(instanceId, cancellationToken);
        if (!state.RuntimeStatus.IsTerminal())
        {
            await SendAsync(instanceId, new ExecutionTerminated(reason, recursive), cancellationToken);
        }
    }

    /// <summary>Suspends an instance: events that arrive are kept and delivered after <see cref="ResumeInstanceAsync"/>.</summary>
    public async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        await RequireAsync(instanceId, cancellationToken);
        await SendAsync(instanceId, new ExecutionSuspended(reason), cancellationToken);
    }

    public async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
    {
        await RequireAsync(instanceId, cancellationToken);
        await SendAsync(instanceId, new ExecutionResumed(reason), cancellationToken);
    }

    /// <summary>The instance's status, input, output, custom status, timestamps and failure details; null if there is no such instance.</summary>
    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        InstanceIdRules.Validate(instanceId);
        return await backend.GetInstanceAsync(instanceId, cancellationToken) is { } state ? new OrchestrationMetadata(state) : null;
    }

    /// <summary>Waits until the instance is Completed, Failed or Terminated (polling with backoff); cancel the token to stop waiting.</summary>
    public async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var metadata = await GetInstanceAsync(instanceId, cancellationToken);
            if (metadata is { IsCompleted: true })
            {
                return metadata;
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(250).Ticks));
        }
    }

    /// <summary>One page of instances matching the query (status, creation time, name or id prefix).</summary>
    public async Task<OrchestrationQueryPage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        var page = await backend.QueryInstancesAsync(query, cancellationToken);
        return new OrchestrationQueryPage(page.Instances.Select(s => new OrchestrationMetadata(s)).ToList(), page.ContinuationToken);
    }

    /// <summary>Every instance matching the query, fetching page after page.</summary>
    public async IAsyncEnumerable<OrchestrationMetadata> GetAllInstancesAsync(InstanceQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = query;
        while (true)
        {
            var page = await QueryInstancesAsync(next, cancellationToken);
            foreach (var instance in page.Instances)
            {
                yield return instance;
            }

            if (page.ContinuationToken is null)
            {
                yield break;
            }

            next = next with { ContinuationToken = page.ContinuationToken };
        }
    }

    /// <summary>Deletes an ended instance with its history; returns false if there is none or it is still running.</summary>
    public Task<bool> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        InstanceIdRules.Validate(instanceId);
        return backend.PurgeInstanceAsync(instanceId, cancellationToken);
    }

    private async Task<InstanceState> RequireAsync(string instanceId, CancellationToken cancellationToken)
    {
        InstanceIdRules.Validate(instanceId);
        return await backend.GetInstanceAsync(instanceId, cancellationToken)
            ?? throw new InvalidOperationException($"No orchestration instance with id '{instanceId}' exists.");
    }

    private async Task SendAsync(string instanceId, HistoryEvent e, CancellationToken cancellationToken)
    {
        var message = new OrchestrationMessage(instanceId, null, e with { Timestamp = time.GetUtcNow() }, Guid.NewGuid().ToString("N"));
        await backend.SendMessagesAsync([message], cancellationToken);
        signal?.NotifyOrchestrationWork();
    }
}
