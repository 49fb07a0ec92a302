using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Silo.Security;

namespace Delegation.Silo.Api;

/// <summary>The one place where failure kinds become HTTP statuses and problem+json bodies.</summary>
public static class Problems
{
    /// <summary>The HTTP status of a failure kind.</summary>
    public static int StatusOf(DelegationException exception) => exception switch
    {
        RequestValidationException => StatusCodes.Status400BadRequest,
        UnauthenticatedException => StatusCodes.Status401Unauthorized,
        ForbiddenException => StatusCodes.Status403Forbidden,
        NotFoundException => StatusCodes.Status404NotFound,
        ConflictException => StatusCodes.Status409Conflict,
        PayloadTooLargeException => StatusCodes.Status413PayloadTooLarge,
        AttenuationException => StatusCodes.Status422UnprocessableEntity,
        AuthorityUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>The problem body of a failure.</summary>
    public static ProblemResponse From(DelegationException exception)
    {
        var status = StatusOf(exception);
        return new ProblemResponse(
            "https://delegation.dev/problems/" + exception.Code,
            TitleOf(status),
            status,
            exception.Message,
            exception.Code);
    }

    /// <summary>Writes a problem+json response.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemResponse problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (problem.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.ContentType = "application/problem+json";
        await System.Text.Json.JsonSerializer.SerializeAsync(
            context.Response.Body, problem, DelegationJsonContext.Default.ProblemResponse, context.RequestAborted).ConfigureAwait(false);
    }

    private static string TitleOf(int status) => status switch
    {
        400 => "The request is not valid.",
        401 => "Authentication is required.",
        403 => "The caller may not do this.",
        404 => "Not found.",
        409 => "The request conflicts with the current state.",
        413 => "The request body is too large.",
        429 => "Too many failed authentications.",
        422 => "The delegation is not narrower than its parent.",
        503 => "The authority is unavailable.",
        _ => "An unexpected error occurred.",
    };
}
