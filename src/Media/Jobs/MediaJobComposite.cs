using Recording.Media.Compose;

namespace Recording.Media.Jobs;

/// <summary>How a <see cref="MediaJobOperation.Compose"/> job lays out its timeline (<see cref="CompositeRequest"/>'s settings).</summary>
public sealed record MediaJobComposite
{
    public CompositeLayout Layout { get; init; } = CompositeLayout.Grid;

    /// <summary>WIDTHxHEIGHT, as <see cref="CompositeSize.Parse"/> reads it.</summary>
    public string Size { get; init; } = "1280x720";

    /// <summary>Only tracks with one of these roles are composed; empty for all.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public bool NameLabels { get; init; }
}
