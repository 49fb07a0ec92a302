namespace Delegation.Api;

/// <summary>An enforcer as the silo sees it.</summary>
/// <param name="Name">The name it connected with.</param>
/// <param name="Connected">True while it has a feed stream open (it is live).</param>
/// <param name="AckedSeq">The feed position it last acknowledged.</param>
/// <param name="Lag">Feed events it has not acknowledged yet.</param>
/// <param name="LastAckAt">When it last acknowledged, or null.</param>
/// <param name="ConnectedAt">When it (last) connected.</param>
/// <param name="Silo">The silo it is (or was last) connected to, when silos share a registry; null for a single silo.</param>
public sealed record EnforcerView(string Name, bool Connected, long AckedSeq, long Lag, DateTimeOffset? LastAckAt, DateTimeOffset ConnectedAt, string? Silo = null);
