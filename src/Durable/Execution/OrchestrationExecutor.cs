using Microsoft.Extensions.Logging;
using Recording.Durable.Backends;
using Recording.Durable.History;
using Recording.Durable.Instances;
using Recording.Durable.Orchestrations;
using Recording.Durable.Registry;
using Recording.Durable.Versioning;

namespace Recording.Durable.Execution;

/// <summary>The replay executor: a pure function from (history, new messages, the episode's time) to the commit of one episode.</summary>
/// <remarks>No I/O and no clock: the dispatcher supplies <c>now</c> and commits the result. Orchestrator code runs on this thread,
/// on its own synchronization context, and must only await the context's tasks.</remarks>
/// <param name="versioning">Which instances this worker runs, by version, and the version of the sub-orchestrations it starts.</param>
public sealed class OrchestrationExecutor(DurableTaskRegistry registry, IServiceProvider? services = null, ILoggerFactory? loggerFactory = null, OrchestrationVersioning? versioning = null)
{
    private readonly OrchestrationVersioning versioning = versioning ?? new OrchestrationVersioning();

    /// <summary>How long to wait before looking again at messages for an instance whose start message has not arrived yet.</summary>
    public static readonly TimeSpan NotStartedRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How long a continued execution waits for the events carried to it before it starts without the missing ones.</summary>
    public static readonly TimeSpan CarriedEventsWait = TimeSpan.FromMinutes(5);

    /// <summary>Runs one episode over the work item.</summary>
    public OrchestrationExecutionResult Execute(OrchestrationWorkItem workItem, DateTimeOffset now) =>
        new Episode(workItem, now, registry, services, loggerFactory, versioning).Run();

    private sealed class Episode(OrchestrationWorkItem workItem, DateTimeOffset now, DurableTaskRegistry registry, IServiceProvider? services, ILoggerFactory? loggerFactory, OrchestrationVersioning versioning)
    {
        private readonly List<HistoryEvent> newHistory = [];
        private readonly List<EventRaised> unprocessed = [];
        private readonly Queue<HistoryEvent> heldWhileSuspended = new();
        private readonly OrchestrationSynchronizationContext synchronizationContext = new();
        private readonly TaskOrchestrationContext context = new(workItem.InstanceId, loggerFactory);
        private ExecutionStarted? started;
        private Task<object?>? orchestratorTask;
        private Outcome? outcome;
        private bool suspended;

        /// <summary>Replay met history the code does not make: the instance fails, and the calls of this episode are not sent.</summary>
        private bool diverged;

        private string InstanceId => workItem.InstanceId;

        public OrchestrationExecutionResult Run()
        {
            var consumed = workItem.NewMessages.Select(m => m.MessageId).ToList();
            var history = workItem.History;
            if (history.Any(e => e is ExecutionCompleted))
            {
                return Dropped(consumed);
            }

            started = history.OfType<ExecutionStarted>().FirstOrDefault();
            var (newStart, accepted) = AcceptMessages(history);
            if (started is null && newStart is null)
            {
                // Events that overtook their start message wait for it: a new instance's (Pending), or the next execution's
                // after ContinueAsNew (Running, its history not begun), whose start message is a queue message of its own and
                // may come in a later batch than the events it carries or that clients raise meanwhile. Messages for an
                // instance that does not exist are dropped.
                return workItem.State is { RuntimeStatus: OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running } && accepted.Count > 0
                    ? new OrchestrationExecutionResult(null, NotStartedRetryDelay)
                    : Dropped(consumed);
            }

            if (newStart is { CarriedEvents: > 0 } && CarriedArrived(newStart.ExecutionId) < newStart.CarriedEvents && now - newStart.Timestamp < CarriedEventsWait)
            {
                // Some of the events the previous execution carried over are still on their way (see ExecutionStarted.CarriedEvents).
                // The wait is bounded so that a carried message lost to a fault cannot hold the instance forever.
                return new OrchestrationExecutionResult(null, NotStartedRetryDelay);
            }

            // Checked before any of the instance's code runs: code older than the instance would replay steps it does not know.
            var version = (started ?? newStart)!.Version;
            if (!versioning.Accepts(version))
            {
                var mismatch = versioning.DescribeMismatch(version);
                return versioning.FailureStrategy == VersionFailureStrategy.Reject
                    ? new OrchestrationExecutionResult(null, versioning.RejectedRetryDelay) { Rejection = mismatch }
                    : FailedOnVersion(newStart, consumed, mismatch);
            }

            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(synchronizationContext);
            try
            {
                foreach (var recorded in history)
                {
                    Apply(recorded, replaying: true);
                }

                Record(new OrchestratorStarted { Timestamp = now }, replaying: false);
                if (newStart is not null)
                {
                    Record(newStart, replaying: false);
                }

                foreach (var message in accepted)
                {
                    if (outcome is not null)
                    {
                        if (message is EventRaised raised)
                        {
                            unprocessed.Add(raised);
                        }

                        continue;
                    }

                    Record(message, replaying: false);
                }
            }
            catch (NonDeterministicOrchestrationException exception)
            {
                outcome = new Outcome.Failed(TaskFailureDetails.FromException(exception));
                diverged = true;
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(previous);
            }

            return new OrchestrationExecutionResult(BuildCommit(consumed), null);
        }

        /// <summary>Ends the instance Failed without running its code; its last custom status stays.</summary>
        private OrchestrationExecutionResult FailedOnVersion(ExecutionStarted? newStart, IReadOnlyList<string> consumed, string mismatch)
        {
            newHistory.Add(new OrchestratorStarted { Timestamp = now });
            if (newStart is not null)
            {
                started = newStart;
                newHistory.Add(newStart);
            }

            context.KeepCustomStatus(workItem.State?.CustomStatus);
            outcome = new Outcome.Failed(new TaskFailureDetails("VersionMismatch", $"Orchestration '{InstanceId}' was not run: {mismatch}."));
            return new OrchestrationExecutionResult(BuildCommit(consumed), null);
        }

        private (ExecutionStarted? Start, List<HistoryEvent> Accepted) AcceptMessages(IReadOnlyList<HistoryEvent> history)
        {
            var seen = new HashSet<string>(history.Select(e => e.MessageId).OfType<string>(), StringComparer.Ordinal);
            ExecutionStarted? newStart = null;
            foreach (var message in workItem.NewMessages)
            {
                if (message.Event is ExecutionStarted start && started is null && newStart is null &&
                    (workItem.State is null || workItem.State.ExecutionId == start.ExecutionId) && seen.Add(message.MessageId))
                {
                    newStart = start with { MessageId = message.MessageId };
                }
            }

            // Before its start message, an execution is known by the instance state's id (set when it was scheduled or continued).
            var executionId = started?.ExecutionId ?? newStart?.ExecutionId ?? workItem.State?.ExecutionId;
            var accepted = new List<HistoryEvent>();
            foreach (var message in workItem.NewMessages)
            {
                if (message.Event is ExecutionStarted ||
                    (message.ExecutionId is not null && message.ExecutionId != executionId) ||
                    !seen.Add(message.MessageId))
                {
                    continue; // A duplicate, a start for an execution that already started, or a message for an execution that ended.
                }

                accepted.Add(message.Event with { MessageId = message.MessageId });
            }

            return (newStart, accepted);
        }

        /// <summary>The carried events in this batch: events addressed to the execution by id (clients address none).</summary>
        private int CarriedArrived(string executionId) => workItem.NewMessages
            .Where(m => m.Event is EventRaised && m.ExecutionId == executionId)
            .Select(m => m.MessageId)
            .Distinct(StringComparer.Ordinal)
            .Count();

        private void Record(HistoryEvent e, bool replaying)
        {
            if (Apply(e, replaying))
            {
                newHistory.Add(e);
            }
        }

        /// <summary>Applies one event; false if it was dropped (a result for no open call) and so is not recorded.</summary>
        private bool Apply(HistoryEvent e, bool replaying)
        {
            context.IsReplaying = replaying;
            switch (e)
            {
                case OrchestratorStarted:
                    context.CurrentTime = e.Timestamp;
                    return true;
                case ExecutionStarted start:
                    StartOrchestrator(start);
                    return true;
                case TaskScheduled scheduled:
                    context.MatchRecorded(scheduled, scheduled.TaskId);
                    return true;
                case TimerCreated timer:
                    context.MatchRecorded(timer, timer.TimerId);
                    return true;
                case SubOrchestrationInstanceCreated created:
                    context.MatchRecorded(created, created.TaskId);
                    return true;
                case ExecutionTerminated terminated:
                    outcome ??= new Outcome.Terminated(terminated.Reason, terminated.Recurse);
                    return true;
                case ExecutionSuspended:
                    suspended = true;
                    return true;
                case ExecutionResumed:
                    suspended = false;
                    while (!suspended && heldWhileSuspended.TryDequeue(out var held))
                    {
                        Deliver(held);
                    }

                    return true;
                default:
                    if (suspended)
                    {
                        heldWhileSuspended.Enqueue(e);
                        return true;
                    }

                    return Deliver(e);
            }
        }

        private bool Deliver(HistoryEvent e)
        {
            var delivered = e switch
            {
                TaskCompleted c => context.Complete(c.TaskScheduledId, TaskOrchestrationContext.OpenTaskKind.Activity, c.Result, null),
                TaskFailed f => context.Complete(f.TaskScheduledId, TaskOrchestrationContext.OpenTaskKind.Activity, null, f.FailureDetails),
                TimerFired t => context.Complete(t.TimerId, TaskOrchestrationContext.OpenTaskKind.Timer, null, null),
                SubOrchestrationInstanceCompleted c => context.Complete(c.TaskScheduledId, TaskOrchestrationContext.OpenTaskKind.SubOrchestration, c.Result, null),
                SubOrchestrationInstanceFailed f => context.Complete(f.TaskScheduledId, TaskOrchestrationContext.OpenTaskKind.SubOrchestration, null, f.FailureDetails),
                EventRaised raised => RaiseEvent(raised),
                _ => false,
            };
            RunOrchestratorUntilIdle();
            return delivered;
        }

        private bool RaiseEvent(EventRaised raised)
        {
            context.Raise(raised);
            return true;
        }

        private void StartOrchestrator(ExecutionStarted start)
        {
            started = start;
            context.Start(start);
            ITaskOrchestrator? orchestrator;
            try
            {
                orchestrator = registry.CreateOrchestrator(start.Name, services);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A constructor that throws (a service the container cannot give) fails the instance, as an unknown name does and
                // as an activity's does: left to the worker, the episode would be retried for ever.
                outcome = new Outcome.Failed(TaskFailureDetails.FromException(exception));
                return;
            }

            if (orchestrator is null)
            {
                outcome = new Outcome.Failed(new TaskFailureDetails(
                    "OrchestratorNotFound", $"No orchestrator named '{start.Name}' is registered with this worker."));
                return;
            }

            try
            {
                var input = DurableJson.Deserialize(start.Input, orchestrator.InputType);
                if (input is null && orchestrator.InputType.IsValueType)
                {
                    input = Activator.CreateInstance(orchestrator.InputType);
                }

                orchestratorTask = orchestrator.RunAsync(context, input);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                orchestratorTask = Task.FromException<object?>(exception);
            }

            RunOrchestratorUntilIdle();
        }

        private void RunOrchestratorUntilIdle()
        {
            synchronizationContext.RunUntilIdle();
            if (outcome is not null || orchestratorTask is not { IsCompleted: true } task)
            {
                return;
            }

            if (task.IsCompletedSuccessfully)
            {
                outcome = context.ContinueAsNewRequested is { } request
                    ? new Outcome.ContinuedAsNew(request.InputJson, request.PreserveUnprocessedEvents)
                    : new Outcome.Completed(task.Result is null ? null : DurableJson.Serialize(task.Result));
            }
            else
            {
                var exception = task.Exception?.InnerException ?? (Exception?)task.Exception ?? new TaskCanceledException("The orchestrator was cancelled.");
                if (exception is NonDeterministicOrchestrationException nonDeterminism)
                {
                    throw nonDeterminism;
                }

                outcome = new Outcome.Failed(exception is TaskFailedException failed
                    ? new TaskFailureDetails(exception.GetType().FullName!, exception.Message, exception.StackTrace, failed.FailureDetails)
                    : TaskFailureDetails.FromException(exception));
            }
        }

        private OrchestrationExecutionResult Dropped(IReadOnlyList<string> consumed) =>
            new(new OrchestrationCommit([], [], [], null) { ConsumedMessageIds = consumed }, null);

        private OrchestrationCommit BuildCommit(IReadOnlyList<string> consumed)
        {
            var start = started!;
            var executionId = start.ExecutionId;
            var activities = new List<ActivityRequest>();
            var messages = new List<OrchestrationMessage>();

            // Calls made in this episode, even by an orchestrator that then ended (as Durable Functions does: fire and forget),
            // but not by code whose replay diverged from its history: those calls belong to no recorded path.
            var actions = diverged ? [] : context.TakeNewActions();
            foreach (var action in actions)
            {
                switch (action)
                {
                    case ScheduleTaskAction task:
                        newHistory.Add(new TaskScheduled(task.Id, task.Name, task.Input) { Timestamp = now });
                        activities.Add(new ActivityRequest(InstanceId, executionId, task.Id, task.Name, task.Input));
                        break;
                    case CreateTimerAction timer:
                        newHistory.Add(new TimerCreated(timer.Id, timer.FireAt) { Timestamp = now });
                        messages.Add(new OrchestrationMessage(InstanceId, executionId, new TimerFired(timer.Id, timer.FireAt) { Timestamp = now }, $"{InstanceId}|{executionId}|timer|{timer.Id}")
                        {
                            VisibleAt = timer.FireAt,
                        });
                        break;
                    case CreateSubOrchestrationAction sub:
                        newHistory.Add(new SubOrchestrationInstanceCreated(sub.Id, sub.Name, sub.InstanceId, sub.Input) { Timestamp = now });
                        var childExecutionId = DeterministicGuid.Create($"{InstanceId}|{executionId}|sub|{sub.Id}").ToString("N");
                        var childStart = new ExecutionStarted(sub.Name, childExecutionId, sub.Input)
                        {
                            Parent = new ParentInstance(InstanceId, executionId, sub.Id),
                            Timestamp = now,
                            Version = sub.Version ?? versioning.DefaultVersion,
                        };
                        messages.Add(new OrchestrationMessage(sub.InstanceId, null, childStart, $"{sub.InstanceId}|{childExecutionId}|start"));
                        break;
                }
            }

            var state = (workItem.State ?? new InstanceState(InstanceId, start.Name, executionId, OrchestrationRuntimeStatus.Pending, start.Timestamp, now)) with
            {
                Name = start.Name,
                ExecutionId = executionId,
                Input = start.Input,
                Parent = start.Parent,
                Version = start.Version,
                CustomStatus = context.CustomStatusJson,
                LastUpdatedAt = now,
                RuntimeStatus = suspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running,
            };

            switch (outcome)
            {
                case null:
                    return new OrchestrationCommit(newHistory, activities, messages, state) { ConsumedMessageIds = consumed };

                case Outcome.ContinuedAsNew next:
                    {
                        var newExecutionId = DeterministicGuid.Create($"{InstanceId}|{executionId}|continue").ToString("N");
                        var carried = next.PreserveUnprocessedEvents ? context.TakeBufferedEvents().Concat(unprocessed).ToList() : [];
                        var restart = new ExecutionStarted(start.Name, newExecutionId, next.InputJson) { Parent = start.Parent, Timestamp = now, CarriedEvents = carried.Count, Version = start.Version };
                        messages.Add(new OrchestrationMessage(InstanceId, null, restart, $"{InstanceId}|{newExecutionId}|start"));
                        for (var i = 0; i < carried.Count; i++)
                        {
                            messages.Add(new OrchestrationMessage(InstanceId, newExecutionId, carried[i] with { MessageId = null }, $"{InstanceId}|{newExecutionId}|carried|{i}"));
                        }

                        // The old execution's history is dropped; the new one begins when its start message is processed.
                        return new OrchestrationCommit([], activities, messages, state with
                        {
                            ExecutionId = newExecutionId,
                            Input = next.InputJson,
                            RuntimeStatus = OrchestrationRuntimeStatus.Running,
                        })
                        {
                            ReplacesHistory = true,
                            ConsumedMessageIds = consumed,
                        };
                    }

                case Outcome.Completed completed:
                    newHistory.Add(new ExecutionCompleted(OrchestrationRuntimeStatus.Completed, completed.ResultJson, null) { Timestamp = now });
                    NotifyParent(messages, new SubOrchestrationInstanceCompleted(start.Parent?.TaskScheduledId ?? -1, completed.ResultJson) { Timestamp = now });
                    state = state with { RuntimeStatus = OrchestrationRuntimeStatus.Completed, Output = completed.ResultJson, CompletedAt = now };
                    break;

                case Outcome.Failed failed:
                    newHistory.Add(new ExecutionCompleted(OrchestrationRuntimeStatus.Failed, null, failed.Details) { Timestamp = now });
                    NotifyParent(messages, new SubOrchestrationInstanceFailed(start.Parent?.TaskScheduledId ?? -1, failed.Details) { Timestamp = now });
                    state = state with { RuntimeStatus = OrchestrationRuntimeStatus.Failed, FailureDetails = failed.Details, CompletedAt = now };
                    break;

                case Outcome.Terminated terminated:
                    {
                        var reasonJson = terminated.Reason is null ? null : DurableJson.Serialize(terminated.Reason);
                        newHistory.Add(new ExecutionCompleted(OrchestrationRuntimeStatus.Terminated, reasonJson, null) { Timestamp = now });
                        NotifyParent(messages, new SubOrchestrationInstanceFailed(
                            start.Parent?.TaskScheduledId ?? -1,
                            new TaskFailureDetails("Terminated", $"Sub-orchestration '{InstanceId}' was terminated: {terminated.Reason}"))
                        { Timestamp = now });
                        if (terminated.Recurse)
                        {
                            foreach (var child in context.OpenSubOrchestrationInstanceIds())
                            {
                                messages.Add(new OrchestrationMessage(child, null, new ExecutionTerminated(terminated.Reason) { Timestamp = now }, $"{child}|terminate|{InstanceId}|{executionId}"));
                            }
                        }

                        state = state with { RuntimeStatus = OrchestrationRuntimeStatus.Terminated, Output = reasonJson, CompletedAt = now };
                        break;
                    }
            }

            return new OrchestrationCommit(newHistory, activities, messages, state) { ConsumedMessageIds = consumed };
        }

        private void NotifyParent(List<OrchestrationMessage> messages, HistoryEvent result)
        {
            if (started!.Parent is { } parent)
            {
                messages.Add(new OrchestrationMessage(parent.InstanceId, parent.ExecutionId, result, $"{parent.InstanceId}|{parent.ExecutionId}|sub|{parent.TaskScheduledId}"));
            }
        }
    }

    private abstract record Outcome
    {
        public sealed record Completed(string? ResultJson) : Outcome;

        public sealed record Failed(TaskFailureDetails Details) : Outcome;

        public sealed record Terminated(string? Reason, bool Recurse) : Outcome;

        public sealed record ContinuedAsNew(string? InputJson, bool PreserveUnprocessedEvents) : Outcome;
    }
}
