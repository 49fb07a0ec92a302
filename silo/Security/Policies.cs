using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.RateLimiting;

namespace Delegation.Silo.Security;

/// <summary>
/// The authorization policies, one per set of callers; every endpoint names one (or is explicitly anonymous), and the
/// fallback policy refuses an endpoint that names none.
/// </summary>
public static class Policies
{
    /// <summary>The admin key (and, on the Orleans dashboard, an admin session).</summary>
    public const string Admin = "admin";

    /// <summary>Admin and issuer keys: create, find, explain, suspend, resume, kill switches, audit, stats.</summary>
    public const string Operators = "operators";

    /// <summary>Admin and enforcer keys: checks, chains, leases, the feed, acknowledgements, decision reports.</summary>
    public const string Enforcers = "enforcers";

    /// <summary>Admin, issuer and enforcer keys: the list of enforcers.</summary>
    public const string Keys = "keys";

    /// <summary>Admin and metrics keys: the Prometheus scrape.</summary>
    public const string Metrics = "metrics";

    /// <summary>Admin, issuer and enforcer keys, or a holder of the grant or an ancestor: read a grant or its tree.</summary>
    public const string GrantReaders = "grant-readers";

    /// <summary>Admin and issuer keys, or a holder of the grant or an ancestor: revoke a grant and its subtree.</summary>
    public const string GrantRevokers = "grant-revokers";

    /// <summary>Admin and issuer keys, or the holder of exactly this grant: delegate from it.</summary>
    public const string Delegators = "delegators";

    /// <summary>Adds the authentication scheme, the policies, the fallback and the problem+json refusals.</summary>
    public static IServiceCollection AddDelegationAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<FailedAuthenticationLimiter>((limiter, failures) =>
        {
            limiter.GlobalLimiter = failures.Gate;
            limiter.OnRejected = FailedAuthenticationRejection.WriteAsync;
        });
        services.AddAuthentication(CredentialAuthentication.Scheme)
            .AddScheme<CredentialAuthenticationOptions, CredentialAuthenticationHandler>(CredentialAuthentication.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Admin, Require(HolderRule.None, CallerRole.Admin))
            .AddPolicy(Operators, Require(HolderRule.None, CallerRole.Admin, CallerRole.Issuer))
            .AddPolicy(Enforcers, Require(HolderRule.None, CallerRole.Admin, CallerRole.Enforcer))
            .AddPolicy(Keys, Require(HolderRule.None, CallerRole.Admin, CallerRole.Issuer, CallerRole.Enforcer))
            .AddPolicy(Metrics, Require(HolderRule.None, CallerRole.Admin, CallerRole.Metrics))
            .AddPolicy(GrantReaders, Require(HolderRule.OwnSubtree, CallerRole.Admin, CallerRole.Issuer, CallerRole.Enforcer))
            .AddPolicy(GrantRevokers, Require(HolderRule.OwnSubtree, CallerRole.Admin, CallerRole.Issuer))
            .AddPolicy(Delegators, Require(HolderRule.OwnGrant, CallerRole.Admin, CallerRole.Issuer))
            .SetFallbackPolicy(Require(HolderRule.None));
        services.AddSingleton<IAuthorizationHandler, CallerRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddSingleton<IPolicyEvaluator, CallerPolicyEvaluator>();
        return services;
    }

    private static AuthorizationPolicy Require(HolderRule holders, params CallerRole[] roles) =>
        new AuthorizationPolicyBuilder().AddRequirements(new CallerRequirement(holders, roles)).Build();
}
