using Orleans;
namespace Delegation.Grants;

/// <summary>
/// The immutable definition of a grant, fixed when it is created: who, for whom, what, how much, until when.
/// Everything that changes later (status, spending) is folded from events into the tree's state.
/// </summary>
/// <param name="Id">The grant id; it embeds the tree id (see <see cref="GrantId"/>).</param>
/// <param name="ParentId">The parent grant, or null for a root grant (person to agent).</param>
/// <param name="RootId">The root grant's id, which is also the tree id.</param>
/// <param name="Depth">0 for a root grant, parent's depth + 1 for a delegation.</param>
/// <param name="User">The person on whose behalf the agent acts.</param>
/// <param name="Agent">The holder of the grant.</param>
/// <param name="Scope">The permissions, in canonical text form.</param>
/// <param name="Budget">The grant's own budget limit in units, or null for no limit of its own.</param>
/// <param name="ExpiresAt">When the grant stops allowing anything.</param>
/// <param name="MaxDepth">The greatest depth any descendant may have.</param>
/// <param name="Purpose">Free text for operators.</param>
/// <param name="CreatedAt">When the grant was created.</param>
/// <param name="TokenHash">SHA-256 of the token secret, lower-case hex; the secret itself is never stored.</param>
/// <param name="ApprovalScope">The permissions of <paramref name="Scope"/> that need a person's approval per request (written <c>!permission</c>), or null.</param>
/// <param name="Rate">How fast the grant may be used, or null for no rate limit of its own (an ancestor's still counts).</param>
[GenerateSerializer, Immutable, Alias("delegation.GrantRecord")]
public sealed record GrantRecord(
    string Id,
    string? ParentId,
    string RootId,
    int Depth,
    string User,
    string Agent,
    IReadOnlyList<string> Scope,
    long? Budget,
    DateTimeOffset ExpiresAt,
    int MaxDepth,
    string? Purpose,
    DateTimeOffset CreatedAt,
    string TokenHash,
    RateLimit? Rate = null,
    IReadOnlyList<string>? ApprovalScope = null);
