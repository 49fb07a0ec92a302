namespace Delegation.Silo.Telemetry;

/// <summary>A live enforcer's distance behind the feed head, as last sampled.</summary>
/// <param name="Name">The name it connected with (never its key).</param>
/// <param name="Lag">Feed events it has not acknowledged.</param>
public readonly record struct EnforcerLag(string Name, long Lag);
