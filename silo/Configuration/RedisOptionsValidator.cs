using Delegation.Storage.Redis;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Configuration;

/// <summary>Checks <c>Delegation:Redis</c> (the store's key prefix) and <c>Delegation:Redis:Audit</c> (the decision cap) at start-up.</summary>
public sealed class RedisOptionsValidator : IValidateOptions<RedisStoreOptions>, IValidateOptions<RedisDecisionLogOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrEmpty(options.KeyPrefix) || options.KeyPrefix.Length > 64 || options.KeyPrefix.Any(char.IsWhiteSpace)
            ? ValidateOptionsResult.Fail("Delegation:Redis:KeyPrefix must be 1 to 64 characters without spaces (default 'dlg:').")
            : ValidateOptionsResult.Success;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisDecisionLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.Validate();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => "Delegation:Redis:Audit:" + f));
    }
}
