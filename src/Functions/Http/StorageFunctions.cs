using Recording.Functions.Storage;
using Recording.Functions.Templates;
using Recording.Functions.Validation;

namespace Recording.Functions.Http;

/// <summary>The storage function: POST /api/storage/validate checks a destination before a template uses it.</summary>
public static class StorageFunctions
{
    public static void MapStorageFunctions(this IEndpointRouteBuilder api)
    {
        api.MapPost("/storage/validate", ValidateAsync)
            .WithName("ValidateStorage").WithMetadata(new RequiresKey(KeyRole.Admin))
            .Accepts<ValidateStorageRequest>("application/json")
            .Produces<StorageValidationResult>()
            .ProducesValidationProblem();
    }

    public static async Task<IResult> ValidateAsync(HttpRequest request, IStorageValidation storage, CancellationToken cancellationToken)
    {
        var (body, errors) = await JsonRequestBody.ReadAsync<ValidateStorageRequest>(request, cancellationToken);
        if (body is null)
        {
            return Problems.Validation(errors);
        }

        if (body.Destination is not { ValueKind: System.Text.Json.JsonValueKind.Object } destination)
        {
            return Problems.Validation("destination", "is required: a reference {\"ref\": \"name\"} or inline destination settings");
        }

        DestinationRules.Validate(destination, "destination", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Validation(errors);
        }

        var result = await storage.ValidateAsync(destination, cancellationToken);
        if (!result.IsValid)
        {
            foreach (var (field, rules) in result.Errors)
            {
                foreach (var rule in rules)
                {
                    errors.Add(ValidationErrors.Join("destination", field), rule);
                }
            }

            return Problems.Validation(errors);
        }

        return TypedResults.Ok(result);
    }
}
