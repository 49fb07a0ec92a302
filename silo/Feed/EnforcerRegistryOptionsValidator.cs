using Microsoft.Extensions.Options;

namespace Delegation.Silo.Feed;

/// <summary>Checks <see cref="EnforcerRegistryOptions"/> at start-up and reports every problem at once.</summary>
public sealed class EnforcerRegistryOptionsValidator : IValidateOptions<EnforcerRegistryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EnforcerRegistryOptions options)
    {
        var failures = new List<string>();
        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{EnforcerRegistryOptions.Section}:HeartbeatInterval must be between 100 ms and 1 minute.");
        }

        if (options.EnforcerLivenessTimeout < options.HeartbeatInterval * 2 || options.EnforcerLivenessTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{EnforcerRegistryOptions.Section}:EnforcerLivenessTimeout must be at least twice HeartbeatInterval and at most 1 hour.");
        }

        if (options.AckPollInterval < TimeSpan.FromMilliseconds(10) || options.AckPollInterval > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{EnforcerRegistryOptions.Section}:AckPollInterval must be between 10 ms and 10 seconds.");
        }

        if (options.ForgetAfter < TimeSpan.FromSeconds(10) || options.ForgetAfter > TimeSpan.FromDays(30))
        {
            failures.Add($"{EnforcerRegistryOptions.Section}:ForgetAfter must be between 10 seconds and 30 days.");
        }

        if (options.MaxStreamsPerKey < 1 || options.MaxStreamsPerKey > 100_000)
        {
            failures.Add($"{EnforcerRegistryOptions.Section}:MaxStreamsPerKey must be between 1 and 100000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
