namespace Delegation.Grains.Errors;

/// <summary>
/// A request the authority refuses, with the stable error code the API returns. One subclass per failure kind;
/// the silo maps each kind to an HTTP status in one place.
/// </summary>
public abstract class DelegationException(string code, string message) : Exception(message)
{
    /// <summary>The stable problem+json <c>code</c> (see <see cref="Delegation.Api.ErrorCodes"/>).</summary>
    public string Code { get; } = code;
}
