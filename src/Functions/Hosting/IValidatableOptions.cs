namespace Recording.Functions.Hosting;

/// <summary>An options class that checks itself, yielding one message per broken rule, each naming the setting.</summary>
public interface IValidatableOptions
{
    IEnumerable<string> Validate();
}
