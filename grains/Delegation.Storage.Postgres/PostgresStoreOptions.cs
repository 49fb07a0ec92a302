namespace Delegation.Storage.Postgres;

/// <summary>Options of <see cref="PostgresEventStore"/> beyond its connection: retries and the feed listener.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>The default <see cref="MaxAttempts"/>: 3.</summary>
    public const int DefaultMaxAttempts = 3;

    /// <summary>The default <see cref="RetryDelay"/>: 50 ms.</summary>
    public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The default <see cref="MaxAppendsPerCommit"/>: 256.</summary>
    public const int DefaultMaxAppendsPerCommit = 256;

    /// <summary>The default <see cref="ListenerProbeInterval"/>: 15 seconds.</summary>
    public static readonly TimeSpan DefaultListenerProbeInterval = TimeSpan.FromSeconds(15);

    /// <summary>The default <see cref="ListenerMaxReconnectDelay"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultListenerMaxReconnectDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many times an operation is tried when PostgreSQL reports a transient failure (a broken connection,
    /// a server shutting down, a deadlock). Kept small on purpose: while the database is away the silo must
    /// fail closed quickly rather than queue requests. An append whose COMMIT was sent is never retried.
    /// Default: <see cref="DefaultMaxAttempts"/>.
    /// </summary>
    public int MaxAttempts { get; set; } = DefaultMaxAttempts;

    /// <summary>The wait before the first retry; it doubles for each further one. Default: <see cref="DefaultRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = DefaultRetryDelay;

    /// <summary>
    /// The most appends (of any trees) written in one transaction by group commit: appends that arrive while a
    /// commit is under way wait for it and then commit together. Default: <see cref="DefaultMaxAppendsPerCommit"/>.
    /// </summary>
    public int MaxAppendsPerCommit { get; set; } = DefaultMaxAppendsPerCommit;

    /// <summary>
    /// How long the listening connection may stay silent before it is probed with a query, so that a
    /// connection lost without a word (a dropped network path) is noticed and replaced.
    /// Default: <see cref="DefaultListenerProbeInterval"/>.
    /// </summary>
    public TimeSpan ListenerProbeInterval { get; set; } = DefaultListenerProbeInterval;

    /// <summary>The longest wait between two attempts to reconnect the listener. Default: <see cref="DefaultListenerMaxReconnectDelay"/>.</summary>
    public TimeSpan ListenerMaxReconnectDelay { get; set; } = DefaultListenerMaxReconnectDelay;

    /// <summary>The clock for retry and reconnect delays. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every problem with these options at once; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (MaxAttempts is < 1 or > 10)
        {
            failures.Add($"{nameof(MaxAttempts)} must be between 1 and 10; it is {MaxAttempts}.");
        }

        if (MaxAppendsPerCommit is < 1 or > 10_000)
        {
            failures.Add($"{nameof(MaxAppendsPerCommit)} must be between 1 and 10000; it is {MaxAppendsPerCommit}.");
        }

        CheckPositive(RetryDelay, nameof(RetryDelay), failures);
        CheckPositive(ListenerProbeInterval, nameof(ListenerProbeInterval), failures);
        CheckPositive(ListenerMaxReconnectDelay, nameof(ListenerMaxReconnectDelay), failures);
        if (TimeProvider is null)
        {
            failures.Add($"{nameof(TimeProvider)} must be set.");
        }

        return failures;
    }

    private static void CheckPositive(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{name} must be positive and at most {int.MaxValue} ms; it is {value}.");
        }
    }
}
