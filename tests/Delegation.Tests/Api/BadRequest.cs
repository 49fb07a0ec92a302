namespace Delegation.Tests.Api;

/// <summary>
/// One bad request and the problem it must get. <see cref="Path"/> and <see cref="Body"/> may hold placeholders
/// (<c>{root}</c>, <c>{child}</c>, <c>{rootToken}</c>, ...) for the fixture's grants; <see cref="Credential"/> names
/// who sends it (<c>admin</c>, <c>issuer</c>, <c>enforcer</c>, <c>root</c>, <c>child</c>, <c>other</c>,
/// <c>revoked</c>, <c>forged</c>) or is <c>none</c>, or <c>raw:</c> followed by the whole Authorization header.
/// </summary>
public sealed record BadRequest(string Method, string Path, string Credential, int Status, string Code, string? Body = null)
{
    /// <summary>The request's content type; null sends the body without one.</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>A <c>Last-Event-ID</c> header to send, or null.</summary>
    public string? LastEventId { get; init; }
}
