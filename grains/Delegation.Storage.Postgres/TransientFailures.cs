using Npgsql;

namespace Delegation.Storage.Postgres;

/// <summary>Which failures are worth one more try: Npgsql's own classification, by SQLSTATE for server errors.</summary>
internal static class TransientFailures
{
    /// <summary>
    /// True for a server error whose SQLSTATE says a retry can succeed (<see cref="PostgresException.IsTransient"/>:
    /// class 08 connection exceptions, 40001 serialization failure, 40P01 deadlock, 53 insufficient resources,
    /// 57P01-57P03 shutdown and start-up, 55P03 lock not available, ...) and for a connection that broke or
    /// timed out under Npgsql (<see cref="NpgsqlException.IsTransient"/>). Everything else (a constraint, a
    /// syntax error, a permission) fails the same way again and is reported at once.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException server => server.IsTransient,
        NpgsqlException client => client.IsTransient,
        _ => false,
    };

    /// <summary>The SQLSTATE of a server error, or null; for logs.</summary>
    public static string? SqlState(Exception exception) => (exception as PostgresException)?.SqlState;
}
