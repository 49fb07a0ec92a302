namespace Delegation.Storage.Sqlite;

/// <summary>Options of <see cref="SqliteEventStore"/>: where the database file lives and how long to wait for a lock.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The default database file, relative to the working directory: <c>data/delegation.db</c>.</summary>
    public static readonly string DefaultFilePath = Path.Combine("data", "delegation.db");

    /// <summary>The default <see cref="BusyTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The database file. Relative paths resolve against the working directory; a missing directory is
    /// created. SQLite keeps two companions beside it (<c>-wal</c>, <c>-shm</c>): back up all three, or none.
    /// Default: <see cref="DefaultFilePath"/>.
    /// </summary>
    public string FilePath { get; set; } = DefaultFilePath;

    /// <summary>
    /// How long a write waits for another process's write transaction on the same file before it fails, and
    /// how long a read waits for a lock (rare under WAL). Default: <see cref="DefaultBusyTimeout"/>.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>Every problem with these options at once; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(FilePath))
        {
            failures.Add($"{nameof(FilePath)} must name a file.");
        }
        else if (FilePath.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{nameof(FilePath)} must not contain a NUL character.");
        }

        if (BusyTimeout <= TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            failures.Add($"{nameof(BusyTimeout)} must be positive and at most {int.MaxValue} ms; it is {BusyTimeout}.");
        }

        return failures;
    }
}
