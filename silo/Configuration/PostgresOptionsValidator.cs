using Delegation.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Configuration;

/// <summary>Checks <c>Delegation:Postgres</c> (retries, group commit, the feed listener) at start-up.</summary>
public sealed class PostgresOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    /// <summary>The configuration section the PostgreSQL store's options are read from.</summary>
    public const string Section = "Delegation:Postgres";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => $"{Section}:{f}"));
    }
}
