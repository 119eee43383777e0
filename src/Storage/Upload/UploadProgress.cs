namespace Recording.Storage.Upload;

/// <summary>Progress of one upload: parts stored so far (including parts resumed from an earlier run) out of the total.</summary>
public sealed record UploadProgress(string Key, int PartNumber, int PartsDone, int PartCount, long BytesDone, long TotalBytes);
