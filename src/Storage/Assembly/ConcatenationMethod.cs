namespace Recording.Storage.Assembly;

/// <summary>How <see cref="ObjectConcatenator"/> joined the sources.</summary>
public enum ConcatenationMethod
{
    /// <summary>S3 UploadPartCopy: the store copied each source into a part of the target; no bytes crossed our network.</summary>
    ServerSideCopy,

    /// <summary>The sources were downloaded one after another into a temp file, which was uploaded and verified like any recording.</summary>
    DownloadAndUpload,
}
