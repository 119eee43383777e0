namespace Recording.Storage.Keys;

/// <summary>
/// Refuses hostile or ambiguous key parts instead of "cleaning" them: a key that silently changed
/// would point somewhere the caller did not mean (and `..` in a local-folder destination is a path escape).
/// </summary>
public static class ObjectKeySanitizer
{
    /// <summary>S3's limit on a key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 1024;

    /// <summary>Checks one path segment (no '/').</summary>
    public static string Segment(string field, string? value)
    {
        Path(field, value);
        if (value!.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidObjectKeyException(field, ObjectKeyRules.SingleSegment, "must be a single key segment without '/'.");
        }

        return value;
    }

    /// <summary>Checks a relative key path of one or more segments separated by '/'.</summary>
    public static string Path(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidObjectKeyException(field, ObjectKeyRules.NotEmpty, "must not be empty.");
        }

        foreach (var c in value)
        {
            if (c == '\0' || char.IsControl(c))
            {
                throw new InvalidObjectKeyException(field, ObjectKeyRules.NoControlCharacters, $"must not contain NUL or control characters (found U+{(int)c:X4}).");
            }
        }

        if (value.Contains('\\', StringComparison.Ordinal))
        {
            throw new InvalidObjectKeyException(field, ObjectKeyRules.NoBackslash, "must not contain '\\' (ambiguous as a path separator).");
        }

        if (value[0] == '/' || (value.Length >= 2 && char.IsAsciiLetter(value[0]) && value[1] == ':'))
        {
            throw new InvalidObjectKeyException(field, ObjectKeyRules.NoAbsolutePath, "must be relative (no leading '/' or drive letter).");
        }

        foreach (var segment in value.Split('/'))
        {
            if (segment is ".." or ".")
            {
                throw new InvalidObjectKeyException(field, ObjectKeyRules.NoParentSegments, "must not contain '..' or '.' segments.");
            }

            if (segment.Length == 0)
            {
                throw new InvalidObjectKeyException(field, ObjectKeyRules.NoEmptySegments, "must not contain empty segments ('//' or a trailing '/').");
            }
        }

        if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxKeyBytes)
        {
            throw new InvalidObjectKeyException(field, ObjectKeyRules.MaxLength, $"must be at most {MaxKeyBytes} UTF-8 bytes.");
        }

        return value;
    }
}
