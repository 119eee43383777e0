using Recording.Media.Validation;

namespace Recording.Media.Compose;

/// <summary>How the participants present at a moment share the frame.</summary>
public enum CompositeLayout
{
    /// <summary>Equal tiles, as close to square a grid as the count allows (rows and columns swap for portrait).</summary>
    Grid,

    /// <summary>The speaker (first host present, else the earliest joined) large, the others in a strip.</summary>
    Speaker,

    /// <summary>Only the speaker, full frame.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The layout's name in the API and on the command line.")]
    Single,
}

/// <summary>Parses layout names given on the command line or in a template.</summary>
public static class CompositeLayoutNames
{
    public static CompositeLayout Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "grid" => CompositeLayout.Grid,
        "speaker" => CompositeLayout.Speaker,
        "single" => CompositeLayout.Single,
        _ => throw new MediaInputException("layout", $"must be one of grid, speaker, single (got '{name}')"),
    };
}
