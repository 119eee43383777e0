namespace Recording.Storage.Upload;

/// <summary>The one way the pipeline deletes a recorded file: only after its upload was verified, and only if the file is still the one that was uploaded.</summary>
public static class LocalFileRelease
{
    /// <summary>Deletes <paramref name="localPath"/> (and its upload state file) if <paramref name="result"/> is verified; throws otherwise.</summary>
    public static void DeleteAfterVerifiedUpload(UploadResult result, string localPath)
    {
        if (!result.Verified)
        {
            throw new InvalidOperationException($"Refusing to delete '{localPath}': the upload of '{result.Key}' is not verified ({result.Verification}).");
        }

        var info = new FileInfo(localPath);
        if (info.Exists && info.Length != result.Bytes)
        {
            throw new InvalidOperationException($"Refusing to delete '{localPath}': it has {info.Length} bytes now, the verified upload had {result.Bytes}.");
        }

        File.Delete(UploadStateFile.PathFor(localPath));
        File.Delete(localPath);
    }
}
