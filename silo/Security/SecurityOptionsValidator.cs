using Microsoft.Extensions.Options;

namespace Delegation.Silo.Security;

/// <summary>Checks <see cref="SecurityOptions"/> at start-up and reports every problem at once.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.FailedAuthenticationLimit is < 1 or > 1_000_000)
        {
            failures.Add($"{SecurityOptions.Section}:FailedAuthenticationLimit must be between 1 and 1000000.");
        }

        if (options.FailedAuthenticationWindow < TimeSpan.FromSeconds(1) || options.FailedAuthenticationWindow > TimeSpan.FromDays(1))
        {
            failures.Add($"{SecurityOptions.Section}:FailedAuthenticationWindow must be between 1 second and 1 day.");
        }
        else if (options.FailedAuthenticationLimit >= 1 && options.FailedAuthenticationWindow / options.FailedAuthenticationLimit < TimeSpan.FromMilliseconds(1))
        {
            failures.Add($"{SecurityOptions.Section}:FailedAuthenticationWindow divided by FailedAuthenticationLimit must be at least 1 ms.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
