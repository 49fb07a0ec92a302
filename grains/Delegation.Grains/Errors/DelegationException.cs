
namespace Delegation.Grains.Errors;

/// <summary>
/// A request the authority refuses, with the stable error code the API returns. One subclass per failure kind;
/// the silo maps each kind to an HTTP status in one place. Serializable by Orleans, so a refusal decided by a tree
/// grain on another silo reaches the caller as the same kind.
/// </summary>
[GenerateSerializer, Alias("delegation.DelegationException")]
public abstract class DelegationException : Exception
{
    /// <summary>A refusal with its code and a message for people.</summary>
    protected DelegationException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The stable problem+json <c>code</c> (see <see cref="Delegation.Api.ErrorCodes"/>).</summary>
    [Id(0)]
    public string Code { get; private set; }
}
