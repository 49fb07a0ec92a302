using Delegation.Grants;

namespace Delegation.Cli.Grants;

/// <summary>What a grant or delegation allows, as given on the command line.</summary>
internal sealed record GrantSpec(
    IReadOnlyList<string> Scope,
    long? Budget,
    DateTimeOffset? ExpiresAt,
    long? TtlSeconds,
    int? MaxDepth,
    string? Purpose,
    RateLimit? Rate);
