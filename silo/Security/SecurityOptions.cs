namespace Delegation.Silo.Security;

/// <summary>
/// Settings of authentication, bound from <c>Delegation:Security</c>
/// (env: <c>Delegation__Security__FailedAuthenticationLimit=20</c>).
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Delegation:Security";

    /// <summary>
    /// How many failed authentications (a wrong key, a forged or unknown grant token, a malformed header) one client
    /// address may make in a burst (default 20). Past it, every request of that address that carries a credential is
    /// refused with 429 <c>too_many_failed_authentications</c> and <c>Retry-After</c>, before the credential is looked at,
    /// until the allowance has refilled.
    /// </summary>
    public int FailedAuthenticationLimit { get; set; } = 20;

    /// <summary>How long the allowance takes to refill from empty to <see cref="FailedAuthenticationLimit"/> (default 1 minute).</summary>
    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);
}
