namespace Recording.Functions.Orchestration.Activities;

/// <summary>A file whose upload the destination confirmed (size and SHA-256 checked).</summary>
public sealed record UploadedFile(string Key, long Bytes, string Sha256);
