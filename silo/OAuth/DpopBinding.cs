using Delegation.OAuth;

namespace Delegation.Silo.OAuth;

/// <summary>
/// DPoP at the token endpoint (RFC 9449 §5): a <c>DPoP</c> header on the token request binds the issued token to the
/// proof's key (<c>cnf.jkt</c>); a bad proof is <c>invalid_dpop_proof</c>. Proofs seen are remembered per silo for
/// the window: a proof replayed at another silo could only get another token bound to the same key, useless
/// without the private key.
/// </summary>
public sealed class DpopBinding(TimeProvider time)
{
    private readonly DpopReplayCache _replays = new();

    /// <summary>The <c>cnf</c> claim to add, or null when the request carries no proof.</summary>
    public async Task<Dictionary<string, object>?> ConfirmationOfAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var proofs = context.Request.Headers[DpopProofs.HeaderName];
        if (proofs.Count == 0)
        {
            return null;
        }

        if (proofs.Count > 1)
        {
            throw new OAuthException("invalid_dpop_proof", "Send one DPoP header.");
        }

        var now = time.GetUtcNow();
        var request = context.Request;
        var url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}");
        var check = await DpopProofs.CheckAsync(proofs.ToString(), request.Method, url, null, now, DpopProofs.DefaultWindow).ConfigureAwait(false);
        if (!check.IsValid)
        {
            throw new OAuthException("invalid_dpop_proof", check.Error!);
        }

        if (!_replays.TryUse(check.Thumbprint + "." + check.JwtId, now, now + (2 * DpopProofs.DefaultWindow)))
        {
            throw new OAuthException("invalid_dpop_proof", "This DPoP proof was used already.");
        }

        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["cnf"] = new Dictionary<string, object>(StringComparer.Ordinal) { ["jkt"] = check.Thumbprint! },
        };
    }
}
