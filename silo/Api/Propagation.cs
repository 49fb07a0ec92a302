using Delegation.Api;
using Delegation.Grains.Errors;

namespace Delegation.Silo.Api;

/// <summary>Reads <c>?wait=</c> of a status change before anything is changed.</summary>
public static class Propagation
{
    /// <summary>
    /// Validates <c>wait</c>. <c>wait=true</c> needs enforcers that acknowledge the feed, which this silo does
    /// not track yet, so it is refused up front (nothing changes) rather than answered with numbers that mean nothing.
    /// </summary>
    public static void ValidateWait(HttpContext context)
    {
        var wait = context.Request.Query["wait"].ToString();
        if (wait.Length == 0)
        {
            return;
        }

        if (!bool.TryParse(wait, out var waitValue))
        {
            throw new RequestValidationException($"'wait' must be true or false, not '{wait}'.");
        }

        if (waitValue)
        {
            throw new RequestValidationException("'wait=true' needs enforcer acknowledgements, which this silo does not track yet; nothing was changed.");
        }
    }

    /// <summary>The response of a revoke, suspend or resume.</summary>
    public static IResult Respond(StatusChangeResponse result) =>
        TypedResults.Json(result, DelegationJsonContext.Default.StatusChangeResponse);
}
