namespace Delegation.Client;

/// <summary>
/// Settings for the <see cref="DelegationClient"/> registered by
/// <c>AddDelegationClient</c>; validated when first used (and at start-up in a host).
/// </summary>
public sealed class DelegationClientOptions
{
    /// <summary>The default <see cref="BaseAddress"/>: where a silo listens unless told otherwise.</summary>
    public static readonly Uri DefaultBaseAddress = new("http://localhost:5080/");

    /// <summary>The default <see cref="Timeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The silo URL, absolute http or https. Default <c>http://localhost:5080/</c>. A path prefix is kept (a
    /// trailing <c>/</c> is added when missing).
    /// </summary>
    public Uri? BaseAddress { get; set; } = DefaultBaseAddress;

    /// <summary>
    /// The bearer credential every call sends: an admin, issuer or enforcer key, or a grant token
    /// (<c>dgt_...</c>), without the <c>Bearer</c> prefix. Required; no default.
    /// </summary>
    public string? Credential { get; set; }

    /// <summary>
    /// How long a call may take until its response arrives. Default 30 seconds;
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none. It does not cover reading the feed's
    /// endless stream, only opening it. Keep it above any <c>revoke?wait=true</c> timeout.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;
}
