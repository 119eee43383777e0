namespace Recording.Functions.Http;

/// <summary>What a function key may do: recorder keys start, stop and read recordings; admin keys do everything.</summary>
public enum KeyRole
{
    Recorder = 1,
    Admin = 2,
}
