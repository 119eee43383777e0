using System.Text.RegularExpressions;
using Recording.Functions.Validation;
using Recording.Media.Compose;
using Recording.Media.Validation;

namespace Recording.Functions.Compositions;

/// <summary>The rules of a composition request that need no recording: shapes, counts, the layout and size. Each names its field.</summary>
public sealed partial class StartCompositionValidator(TimeProvider clock)
{
    /// <summary>A 4x4 grid; beyond that a tile is too small to see anyone at 1080p.</summary>
    public const int MaxTracks = 16;

    public const string DefaultRole = "participant";

    public const string RoleRule = "must be 1 to 32 characters of letters, digits, '-' or '_'";

    public (CompositionCommand? Command, ValidationErrors Errors) Validate(StartCompositionRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Id is not null && !NameRules.IsRecordingId(request.Id))
        {
            errors.Add("id", NameRules.RecordingIdRule);
        }

        var participants = Participants(request.Tracks, errors);
        var layout = Parse("layout", () => CompositeLayoutNames.Parse(request.Layout ?? "grid"), errors);
        var size = Parse("size", () => CompositeSize.Parse(request.Size ?? "1280x720"), errors);
        var roles = new List<string>();
        for (var i = 0; i < (request.Roles?.Count ?? 0); i++)
        {
            if (request.Roles![i] is { } role && Role().IsMatch(role))
            {
                roles.Add(role);
            }
            else
            {
                errors.Add($"roles[{i}]", RoleRule);
            }
        }

        if (roles.Count > 0 && participants.Count > 0 && !participants.Any(p => roles.Contains(p.Role, StringComparer.OrdinalIgnoreCase)))
        {
            errors.Add("roles", "must include the role of at least one track (no track has any of " + string.Join(", ", roles) + ")");
        }

        if (!errors.IsEmpty)
        {
            return (null, errors);
        }

        var id = request.Id ?? Guid.NewGuid().ToString("N");
        return (new CompositionCommand(id, participants, layout, size.ToString(), roles, request.NameLabels ?? false, clock.GetUtcNow()), errors);
    }

    private static List<CompositionParticipant> Participants(List<CompositionTrackRequest?>? tracks, ValidationErrors errors)
    {
        var participants = new List<CompositionParticipant>();
        if (tracks is null || tracks.Count == 0 || tracks.Count > MaxTracks)
        {
            errors.Add("tracks", $"must list 1 to {MaxTracks} tracks, each a participant's recording");
            return participants;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            var field = $"tracks[{i}]";
            if (track is null)
            {
                errors.Add(field, "must be an object with a recordingId");
                continue;
            }

            if (!NameRules.IsRecordingId(track.RecordingId))
            {
                errors.Add(field + ".recordingId", NameRules.RecordingIdRule);
            }
            else if (!seen.TryAdd(track.RecordingId!, i))
            {
                errors.Add(field + ".recordingId", $"must not repeat a track (the same recording is tracks[{seen[track.RecordingId!]}])");
            }

            if (track.Participant is { } name && (name.Trim().Length == 0 || name.Length > 64 || name.Any(char.IsControl)))
            {
                errors.Add(field + ".participant", "must be 1 to 64 characters without control characters");
            }

            if (track.Role is { } role && !Role().IsMatch(role))
            {
                errors.Add(field + ".role", RoleRule);
            }

            participants.Add(new CompositionParticipant(track.RecordingId ?? "", track.Participant ?? track.RecordingId ?? "", track.Role ?? DefaultRole));
        }

        return participants;
    }

    /// <summary>The media library's own rule for a field, reported under the API's name for it.</summary>
    private static T Parse<T>(string field, Func<T> parse, ValidationErrors errors)
    {
        try
        {
            return parse();
        }
        catch (MediaInputException ex)
        {
            errors.Add(field, ex.Rule);
            return default!;
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Role();
}
