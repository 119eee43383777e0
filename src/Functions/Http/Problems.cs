using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>Builds the application/problem+json answers of every function.</summary>
public static class Problems
{
    public static IResult Validation(ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), detail: "See errors: each field names the rule it breaks.", type: ProblemTypes.Validation, title: "The request is not valid.");

    public static IResult Validation(string field, string rule)
    {
        var errors = new ValidationErrors();
        errors.Add(field, rule);
        return Validation(errors);
    }

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found.", type: ProblemTypes.NotFound);

    public static IResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict with the current state.", type: ProblemTypes.Conflict);

    public static IResult Unauthorized() =>
        TypedResults.Problem(
            "Send a function key in the x-functions-key header or the code query parameter.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "A valid function key is required.",
            type: ProblemTypes.Unauthorized);

    public static IResult Forbidden(KeyRole required) =>
        TypedResults.Problem(
            $"This function needs a key with the {required.ToString().ToLowerInvariant()} right.",
            statusCode: StatusCodes.Status403Forbidden,
            title: "The key does not grant this right.",
            type: ProblemTypes.Forbidden);
}
