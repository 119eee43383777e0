namespace Recording.Functions.Orchestration.Activities;

/// <summary>The local files that may go: segments whose upload was verified, and the post-processing work folder.</summary>
public sealed record ReleaseLocalFilesInput(IReadOnlyList<string> UploadedSegments, string? WorkFolder);
