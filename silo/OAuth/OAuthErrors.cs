using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Errors;

namespace Delegation.Silo.OAuth;

/// <summary>
/// Maps our refusals to RFC 6749 §5.2 errors (the table is in docs/architecture.md) and writes OAuth error bodies.
/// Failures that are not about the request (413, 503, 500) stay problem+json.
/// </summary>
public static class OAuthErrors
{
    /// <summary>The OAuth error for a refusal of the grain path, or null when it is not a request error.</summary>
    public static OAuthException? From(DelegationException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var error = exception.Code switch
        {
            ErrorCodes.InvalidScope or ErrorCodes.NonCanonicalResource or ErrorCodes.ScopeNotCovered => "invalid_scope",
            ErrorCodes.ParentNotActive or ErrorCodes.NotFound => "invalid_grant",
            ErrorCodes.BudgetExceedsParent or ErrorCodes.ExpiryExceedsParent or ErrorCodes.DepthExceeded
                or ErrorCodes.ValidationFailed or ErrorCodes.InvalidName => "invalid_request",
            _ => null,
        };
        return error is null ? null : new OAuthException(error, exception.Message, exception.Code);
    }

    /// <summary>Writes <paramref name="exception"/> as an RFC 6749 error response.</summary>
    public static async Task WriteAsync(HttpContext context, OAuthException exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(exception);
        var response = context.Response;
        response.StatusCode = exception.Status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        if (exception.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"delegation\"";
        }

        using var buffer = new MemoryStream();
        // Relaxed escaping: a JSON body (never HTML), so an apostrophe in a description reads as one.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("error", exception.Error);
            writer.WriteString("error_description", exception.Message);
            if (exception.Code is { } code)
            {
                writer.WriteString("code", code);
            }

            writer.WriteEndObject();
        }

        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs an OAuth endpoint: an <see cref="OAuthException"/>, or a refusal that maps to one, is answered as an OAuth
    /// error; everything else goes on to the problem middleware.
    /// </summary>
    public static async Task RunAsync(HttpContext context, Func<Task> endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            await endpoint().ConfigureAwait(false);
        }
        catch (OAuthException e) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, e).ConfigureAwait(false);
        }
        catch (DelegationException e) when (!context.Response.HasStarted && From(e) is { } mapped)
        {
            await WriteAsync(context, mapped).ConfigureAwait(false);
        }
    }
}
