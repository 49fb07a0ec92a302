namespace Delegation.Grains.Enforcers;

/// <summary>Options of an enforcer registry that silos share (the PostgreSQL and the Redis ones).</summary>
public sealed class SharedEnforcerRegistryOptions
{
    /// <summary>The default <see cref="LivenessTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultLivenessTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="PollInterval"/>: 250 ms.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A feed stream whose silo has not refreshed it for this long is not live any more (its silo died or lost the
    /// store). Must be several heartbeat intervals of the silo (which default to one second).
    /// Default: <see cref="DefaultLivenessTimeout"/>.
    /// </summary>
    public TimeSpan LivenessTimeout { get; set; } = DefaultLivenessTimeout;

    /// <summary>
    /// How often a wait for acknowledgements reads them again when no notification came: the fallback for a
    /// notification lost while the listener reconnects. Default: <see cref="DefaultPollInterval"/>.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>
    /// An enforcer name with no stream open on any silo, and neither connected nor acknowledging for this long, is
    /// forgotten by the next heartbeat (default 1 hour), so names that come and go do not grow the registry.
    /// </summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Every problem with these options at once; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (LivenessTimeout < TimeSpan.FromSeconds(1) || LivenessTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{nameof(LivenessTimeout)} must be between 1 second and 1 hour; it is {LivenessTimeout}.");
        }

        if (PollInterval < TimeSpan.FromMilliseconds(10) || PollInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{nameof(PollInterval)} must be between 10 ms and 10 seconds; it is {PollInterval}.");
        }

        if (ForgetAfter < TimeSpan.FromSeconds(10) || ForgetAfter > TimeSpan.FromDays(30))
        {
            failures.Add($"{nameof(ForgetAfter)} must be between 10 seconds and 30 days; it is {ForgetAfter}.");
        }

        return failures;
    }
}
