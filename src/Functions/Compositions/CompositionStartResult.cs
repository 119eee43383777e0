using Recording.Functions.Validation;

namespace Recording.Functions.Compositions;

/// <summary>
/// The outcome of a start: scheduled (<see cref="Created"/>), already there (a composition with that id existed), or refused
/// because a track's recording cannot be composed (<see cref="Errors"/>, by field).
/// </summary>
public sealed record CompositionStartResult(string Id, bool Created, ValidationErrors? Errors = null);
