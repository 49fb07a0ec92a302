namespace Delegation.Storage.Redis;

/// <summary>Options of <see cref="RedisDecisionLog"/>.</summary>
public sealed class RedisDecisionLogOptions
{
    /// <summary>The default <see cref="MaxDecisions"/>: 1 million (about 0.5 to 0.8 GB of Redis memory; see <see cref="RedisDecisionLog"/>).</summary>
    public const long DefaultMaxDecisions = 1_000_000;

    /// <summary>
    /// The most decisions kept, whatever their age: an append beyond it removes the oldest, so the log cannot fill
    /// Redis when pruning by age stops or falls behind. Size it from the memory per decision given on
    /// <see cref="RedisDecisionLog"/> and what the server can spare beside the event store.
    /// Default: <see cref="DefaultMaxDecisions"/>.
    /// </summary>
    public long MaxDecisions { get; set; } = DefaultMaxDecisions;

    /// <summary>Every problem with these options at once; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (MaxDecisions is < 1 or > 1_000_000_000)
        {
            failures.Add($"{nameof(MaxDecisions)} must be between 1 and 1,000,000,000; it is {MaxDecisions}.");
        }

        return failures;
    }
}
