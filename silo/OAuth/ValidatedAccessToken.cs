using Microsoft.IdentityModel.JsonWebTokens;

namespace Delegation.Silo.OAuth;

/// <summary>One of our access tokens whose signature (and, when asked, lifetime) checked out.</summary>
/// <param name="GrantId">The grant it was issued for (<c>grant_id</c>).</param>
/// <param name="Token">The parsed token, for its other claims.</param>
public sealed record ValidatedAccessToken(string GrantId, JsonWebToken Token);
