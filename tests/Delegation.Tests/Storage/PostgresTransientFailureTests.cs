using Delegation.Storage.Postgres;
using Npgsql;

namespace Delegation.Tests.Storage;

/// <summary>Which PostgreSQL failures the store retries: by SQLSTATE for server errors, and broken connections.</summary>
public sealed class PostgresTransientFailureTests
{
    [Theory]
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("57P01")] // admin_shutdown: the server is restarting
    [InlineData("57P03")] // cannot_connect_now: still starting up
    [InlineData("08006")] // connection_failure
    [InlineData("53300")] // too_many_connections
    public void Server_errors_that_a_retry_can_cure_are_transient(string sqlState) =>
        Assert.True(TransientFailures.IsTransient(ServerError(sqlState)));

    [Theory]
    [InlineData("23505")] // unique_violation
    [InlineData("42P01")] // undefined_table
    [InlineData("42501")] // insufficient_privilege
    [InlineData("22P02")] // invalid_text_representation
    public void Server_errors_that_would_fail_again_are_not_transient(string sqlState) =>
        Assert.False(TransientFailures.IsTransient(ServerError(sqlState)));

    [Fact]
    public void A_broken_connection_is_transient_and_other_failures_are_not()
    {
        Assert.True(TransientFailures.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("reset"))));
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(TransientFailures.IsTransient(new AppendOutcomeUnknownException("g_x", new IOException("reset"))));
    }

    private static PostgresException ServerError(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
