using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Grants;

namespace Delegation.Cli.Grants;

/// <summary>Statuses in colour: active green, suspended yellow, revoked red, expired grey.</summary>
internal static class StatusMarkup
{
    public static string Colour(GrantStatus status) => status switch
    {
        GrantStatus.Active => "green",
        GrantStatus.Suspended => "yellow",
        GrantStatus.Revoked => "red",
        _ => "grey",
    };

    /// <summary>A status word in its colour.</summary>
    public static string Of(GrantStatus status) => $"[{Colour(status)}]{WireNames.Of(status)}[/]";

    /// <summary>
    /// The effective status, and when it is not active, why and which grant decided it, e.g.
    /// <c>revoked (ancestor_revoked, decided by g_...)</c>.
    /// </summary>
    public static string Effective(GrantView grant)
    {
        var text = Of(grant.EffectiveStatus);
        if (grant.EffectiveReason is not { } reason || reason == DenyReason.None || WireNames.Of(reason) == WireNames.Of(grant.EffectiveStatus))
        {
            return text;
        }

        var decidedBy = grant.DecidedBy is { } by && by != grant.Id ? $", decided by {Shown.Escape(by)}" : string.Empty;
        return $"{text} [grey]({WireNames.Of(reason)}{decidedBy})[/]";
    }

    /// <summary>
    /// The grant's own status, and when it is not active, the reason given with the change, e.g.
    /// <c>suspended: anomaly:deny_ratio ...</c>.
    /// </summary>
    public static string Own(GrantView grant) => $"{Of(grant.Status)}{Why(grant)}";

    /// <summary>When the grant's own status is not active and a reason was given: <c>: reason</c> in grey; otherwise nothing.</summary>
    public static string Why(GrantView grant) =>
        grant.Status == GrantStatus.Active || string.IsNullOrEmpty(grant.StatusReason) ? string.Empty : $" [grey]({Shown.Escape(grant.StatusReason)})[/]";
}
