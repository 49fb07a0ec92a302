namespace Delegation.Tests.Infrastructure;

/// <summary>How a <see cref="SiloFactory"/> configures its silo.</summary>
public sealed record SiloFactoryOptions
{
    /// <summary><c>memory</c> (default), <c>sqlite</c> (then <see cref="DataDir"/>) or <c>redis</c> (then <see cref="Redis"/>).</summary>
    public string Store { get; init; } = "memory";

    /// <summary>With the <c>redis</c> store: <c>ConnectionStrings:Redis</c> and the key prefix every key of this silo goes under.</summary>
    public (string Configuration, string KeyPrefix)? Redis { get; init; }

    /// <summary>Where the SQLite file and a provisioned admin key live; null for a fresh temp directory owned by the factory.</summary>
    public string? DataDir { get; init; }

    /// <summary>The configured admin key; null leaves it unconfigured, so the silo provisions one in <see cref="DataDir"/>.</summary>
    public string? AdminKey { get; init; } = TestKeys.Admin;

    /// <summary>Replaces the silo's clock (e.g. a <see cref="ManualTimeProvider"/>); null keeps the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary><c>Delegation:MaxRequestBodyBytes</c>, or null for the silo's default.</summary>
    public int? MaxRequestBodyBytes { get; init; }

    /// <summary><c>Delegation:FeedHeartbeatInterval</c>, or null for the silo's default.</summary>
    public TimeSpan? FeedHeartbeatInterval { get; init; }

    /// <summary>Serve over Kestrel on a free loopback port instead of the in-process test server.</summary>
    public bool Kestrel { get; init; }

    /// <summary>
    /// Failed authentications one client address may make (<c>Delegation:Security:FailedAuthenticationLimit</c>). Every
    /// in-process request comes from one (unknown) address, and suites send many bad credentials on purpose, so the
    /// default here is far above the silo's.
    /// </summary>
    public int FailedAuthenticationLimit { get; init; } = 1_000_000;
}
