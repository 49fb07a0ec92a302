using System.Security.Claims;

namespace Delegation.Silo.Security;

/// <summary>An authenticated caller. <see cref="GrantId"/> is set for holders only.</summary>
public sealed record Caller(CallerRole Role, string? GrantId = null)
{
    // A key's caller is its role alone: one shared instance per role (every authorized request asks).
    private static readonly Caller[] KeyCallers = [.. Enum.GetValues<CallerRole>().Order().Select(role => new Caller(role))];

    /// <summary>How events record this caller as the actor: never the credential itself.</summary>
    public string Actor => Role switch
    {
        CallerRole.Admin => "admin",
        CallerRole.Issuer => "issuer",
        CallerRole.Enforcer => "enforcer",
        CallerRole.Metrics => "metrics",
        _ => "grant:" + GrantId,
    };

    /// <summary>How an error names this kind of caller.</summary>
    public string Description => Describe(Role);

    /// <summary>
    /// The caller a principal of <see cref="CredentialAuthentication.Scheme"/> stands for, or null for anyone else
    /// (not authenticated).
    /// </summary>
    public static Caller? From(ClaimsPrincipal? principal)
    {
        var role = principal?.FindFirst(CredentialAuthentication.RoleClaim)?.Value;
        return role is null || !Enum.TryParse<CallerRole>(role, ignoreCase: true, out var parsed)
            ? null
            : parsed == CallerRole.Holder ? new Caller(parsed, principal!.FindFirst(CredentialAuthentication.GrantClaim)?.Value)
            : (uint)parsed < (uint)KeyCallers.Length ? KeyCallers[(int)parsed] : new Caller(parsed);
    }

    /// <summary>The caller of a request that passed its endpoint's policy (so it is authenticated).</summary>
    public static Caller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return From(context.User) ?? throw new InvalidOperationException("The endpoint has no policy that authenticates its caller.");
    }

    /// <summary>How an error names a kind of caller.</summary>
    public static string Describe(CallerRole role) => role switch
    {
        CallerRole.Admin => "admin key",
        CallerRole.Issuer => "issuer key",
        CallerRole.Enforcer => "enforcer key",
        CallerRole.Metrics => "metrics key",
        _ => "grant token",
    };
}
