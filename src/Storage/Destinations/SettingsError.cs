namespace Recording.Storage.Destinations;

/// <summary>One problem with destination settings: the field (JSON name), the rule broken, and a message fit for a user.</summary>
public sealed record SettingsError(string Field, string Rule, string Message)
{
    public override string ToString() => $"{Field}: rule '{Rule}' - {Message}";
}
