using Recording.Functions.Storage;
using Recording.Media.Jobs;

namespace Recording.Functions.Orchestration.Activities;

/// <summary>A media job's successful result and where its outputs go.</summary>
public sealed record UploadMediaJobInput(AssetTarget Target, MediaJobResult Result);
