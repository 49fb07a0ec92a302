using System.Diagnostics;

namespace Delegation.Client;

/// <summary>
/// The enforcer's traces: an <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/> with a span for each
/// call the enforcer makes to the authority (a chain fill, a remote check, a lease reserved or settled), so a
/// gateway's trace (add the source to its tracer provider) runs through the enforcer into the silo and its grains.
/// A check decided from the cache makes no span and allocates nothing. Spans carry grant and lease ids, never a token.
/// </summary>
public static class EnforcerDiagnostics
{
    /// <summary>The name of the enforcer's activity source.</summary>
    public const string ActivitySourceName = "Delegation.Client.Enforcer";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>Starts a client span for a call to the authority, tagged with the grant id; null when nobody listens.</summary>
    internal static Activity? Start(string name, string grantId)
    {
        var activity = Source.StartActivity(name, ActivityKind.Client);
        activity?.SetTag("delegation.grant_id", grantId);
        return activity;
    }

    /// <summary>Marks the span failed with the error's type (never its message, which may quote a request).</summary>
    internal static void Failed(Activity? activity, Exception e) =>
        activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
}
