using Recording.Functions.Notifications;
using Recording.Functions.Templates;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>One recording event and who to tell.</summary>
public sealed record NotifyInput(RecordingEvent Event, NotificationSettings Settings);
