namespace Recording.Functions.Storage;

/// <summary>One check run against a destination (e.g. "write", "read back", "delete", "presign"), with what it found.</summary>
public sealed record StorageCheck(string Name, bool Passed, string Detail);
