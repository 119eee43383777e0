using Recording.Functions.Storage;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>One closed segment to upload: the local file and the file name it keeps under <c>segments/</c>.</summary>
public sealed record UploadSegmentInput(AssetTarget Target, string LocalPath, string ExpectedSha256);
