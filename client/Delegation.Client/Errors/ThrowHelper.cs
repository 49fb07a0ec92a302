using System.Text;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Client;

/// <summary>
/// Maps every failed call, once, to its <see cref="DelegationApiException"/> subclass, so the API methods stay a
/// few lines each.
/// </summary>
internal static class ThrowHelper
{
    private const int MaxDetailLength = 512;

    /// <summary>
    /// True for failures that mean the authority did not answer: a transport failure, a broken stream, or the
    /// HttpClient's timeout (as opposed to the caller cancelling).
    /// </summary>
    public static bool IsUnavailable(Exception e, CancellationToken cancellationToken) => e switch
    {
        HttpRequestException or IOException => true,
        TaskCanceledException { InnerException: TimeoutException } => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    public static DelegationUnavailableException Unavailable(Uri baseAddress, Exception e)
    {
        var message = e is TaskCanceledException
            ? $"The delegation authority at {baseAddress} did not answer in time ({ErrorCodes.AuthorityUnavailable})."
            : $"The delegation authority at {baseAddress} could not be reached ({ErrorCodes.AuthorityUnavailable}): {e.Message}";
        return new DelegationUnavailableException(message, ErrorCodes.AuthorityUnavailable, innerException: e);
    }

    public static JsonException EmptyBody(HttpResponseMessage response, Type expected) =>
        new($"The delegation authority answered {(int)response.StatusCode} with an empty or null body where a {expected.Name} was expected.");

    public static async Task<DelegationApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
        var problem = IsJson(response) ? ParseProblem(body) : null;
        return Create((int)response.StatusCode, response.ReasonPhrase, problem, body);
    }

    /// <summary>The one place where a status and a problem become an exception type.</summary>
    public static DelegationApiException Create(int status, string? reasonPhrase, ProblemResponse? problem, string? body)
    {
        var code = string.IsNullOrEmpty(problem?.Code) ? CodeFor(status) : problem.Code;
        var detail = problem?.Detail ?? problem?.Title ?? Truncate(body);
        var message = Message(status, reasonPhrase, code, detail, problem);
        return status switch
        {
            400 => new DelegationValidationException(message, code, status, detail, problem),
            401 => new DelegationUnauthorizedException(message, code, status, detail, problem),
            403 => new DelegationForbiddenException(message, code, status, detail, problem),
            404 => new DelegationNotFoundException(message, code, status, detail, problem),
            409 => new DelegationConflictException(message, code, status, detail, problem),
            413 => new DelegationPayloadTooLargeException(message, code, status, detail, problem),
            422 => new DelegationAttenuationException(message, code, status, detail, problem),
            502 or 503 or 504 => new DelegationUnavailableException(message, code, status, detail, problem),
            _ => new DelegationApiException(message, code, status, detail, problem),
        };
    }

    private static string CodeFor(int status) => status switch
    {
        400 or 422 => ErrorCodes.ValidationFailed,
        401 => ErrorCodes.Unauthorized,
        403 => ErrorCodes.Forbidden,
        404 => ErrorCodes.NotFound,
        409 => ErrorCodes.Conflict,
        413 => ErrorCodes.PayloadTooLarge,
        502 or 503 or 504 => ErrorCodes.AuthorityUnavailable,
        500 => ErrorCodes.Internal,
        _ => $"http_{status}",
    };

    private static string Message(int status, string? reasonPhrase, string code, string? detail, ProblemResponse? problem)
    {
        var message = new StringBuilder($"The delegation authority answered {status} ({code}): ");
        message.Append(string.IsNullOrWhiteSpace(detail) ? reasonPhrase ?? "no detail" : detail);
        if (problem?.Errors is { Count: > 0 } errors)
        {
            message.Append(" [").AppendJoin("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")).Append(']');
        }

        return message.ToString();
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } media
        && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static ProblemResponse? ParseProblem(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, DelegationJsonContext.Default.ProblemResponse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // An error whose body cannot be read is still reported, by its status.
    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e, cancellationToken))
        {
            return null;
        }
    }

    private static string? Truncate(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        body = body.Trim();
        return body.Length <= MaxDetailLength ? body : string.Concat(body.AsSpan(0, MaxDetailLength), "...");
    }
}
