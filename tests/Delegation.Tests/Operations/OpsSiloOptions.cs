namespace Delegation.Tests.Operations;

/// <summary>How an <see cref="OpsSilo"/> is configured.</summary>
public sealed record OpsSiloOptions
{
    /// <summary><c>memory</c> (default), <c>sqlite</c>, <c>postgres</c> (with <see cref="PostgresConnectionString"/>) or <c>redis</c> (with <see cref="Redis"/>).</summary>
    public string Store { get; init; } = "memory";

    /// <summary><c>ConnectionStrings:Postgres</c>, for the <c>postgres</c> store.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>The data directory; null for a fresh temporary one, deleted with the silo.</summary>
    public string? DataDir { get; init; }

    /// <summary>Replaces the silo's clock (a manual clock); null keeps the system clock.</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>With the <c>redis</c> store: <c>ConnectionStrings:Redis</c> and the key prefix every key of this silo goes under.</summary>
    public (string Configuration, string KeyPrefix)? Redis { get; init; }

    /// <summary><c>Delegation:Audit:AllowSampleRate</c>, or null for the default (every allow).</summary>
    public double? AllowSampleRate { get; init; }

    /// <summary><c>Delegation:Audit:BufferCapacity</c>, or null for the default.</summary>
    public int? BufferCapacity { get; init; }

    /// <summary>
    /// <c>Delegation:Audit:FlushInterval</c>. The default, an hour, keeps the recorder's background writer out of the
    /// way, so that a test's <see cref="OpsSilo.FlushDecisionsAsync"/> is the only writer and sees everything written.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary><c>Delegation:Enforcers:MaxStreamsPerKey</c>, or the default.</summary>
    public int? MaxStreamsPerKey { get; init; }
}
