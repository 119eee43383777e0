namespace Recording.Storage;

/// <summary>Anchor for assembly scanning and InternalsVisibleTo.</summary>
internal static class AssemblyMarker
{
}
