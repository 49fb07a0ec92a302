using Microsoft.AspNetCore.Authorization;

namespace Delegation.Silo.Security;

/// <summary>
/// Who may call an endpoint: any of <see cref="Roles"/>, or a holder whose grant the <see cref="HolderRule"/> accepts
/// for the grant the endpoint's <c>{id}</c> route value names. No roles and no rule: nobody (the fallback policy).
/// </summary>
public sealed class CallerRequirement(HolderRule holders, params CallerRole[] roles) : IAuthorizationRequirement
{
    /// <summary>The roles that may call.</summary>
    public IReadOnlyList<CallerRole> Roles { get; } = roles;

    /// <summary>Whether and when a holder may call.</summary>
    public HolderRule Holders { get; } = holders;
}
