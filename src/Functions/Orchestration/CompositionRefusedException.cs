namespace Recording.Functions.Orchestration;

/// <summary>A composition's recordings cannot be composed: one failed or went away while it waited, or they did not complete in time.</summary>
public sealed class CompositionRefusedException(string message) : Exception(message);
