using Microsoft.IdentityModel.Tokens;

namespace Delegation.Client;

/// <summary>The authority's keys as last read, with the validation parameters built over them (shared, never changed).</summary>
/// <param name="Parameters">Issuer, audience, type, algorithm and these keys.</param>
/// <param name="ReadAt">When they were read (the clock's timestamp).</param>
internal sealed record AccessTokenKeys(TokenValidationParameters Parameters, long ReadAt);
