namespace Delegation.Api;

/// <summary>One wait for enforcers to acknowledge a change (<c>?wait=true</c>).</summary>
public sealed record PropagationSample(DateTimeOffset At, long ElapsedMs, int Acked, int Total, bool TimedOut);
