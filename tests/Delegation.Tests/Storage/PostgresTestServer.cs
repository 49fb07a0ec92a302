using Npgsql;

namespace Delegation.Tests.Storage;

/// <summary>
/// The PostgreSQL server the tests use, named by <c>DELEGATION_TEST_POSTGRES</c> (an Npgsql connection string
/// with the right to create databases). <c>./test.sh</c> starts a throwaway server and sets it; without it every
/// PostgreSQL test fails with the command to run, never skips.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "DELEGATION_TEST_POSTGRES";

    /// <summary>The connection string of the server's maintenance database.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL store tests cannot run. Start a throwaway server with " +
                "`eval \"$(scripts/test-postgres.sh start)\"` from the repository root (it installs PostgreSQL if needed " +
                "and exports the variable), or run ./test.sh, which does that and stops the server afterwards.");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateDatabaseAsync()
    {
        var name = "dlg_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE {name};");
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name };
        return (name, builder.ConnectionString);
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever is still connected.</summary>
    public static Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE);");

    /// <summary>Runs <paramref name="sql"/> on a database, on a connection of its own, and returns the first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static Task ExecuteAsync(string sql) => ScalarAsync(ConnectionString, sql);
}
