using Delegation.Grains.Budget;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Configuration;

/// <summary>Checks <c>Delegation:Leases</c> (<see cref="LeaseBankOptions"/>) at start-up and reports every problem at once.</summary>
public sealed class LeaseBankOptionsValidator : IValidateOptions<LeaseBankOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, LeaseBankOptions options)
    {
        var failures = new List<string>();
        if (options.InitialUnits < 1 || options.MaxUnits < options.InitialUnits)
        {
            failures.Add("Delegation:Leases:InitialUnits must be at least 1 and at most MaxUnits.");
        }

        if (options.Lifetime < TimeSpan.FromSeconds(1) || options.Lifetime > TimeSpan.FromDays(1))
        {
            failures.Add("Delegation:Leases:Lifetime must be between 1 second and 1 day.");
        }

        if (options.ExpiryMargin < TimeSpan.Zero || options.ExpiryMargin >= options.Lifetime)
        {
            failures.Add("Delegation:Leases:ExpiryMargin must not be negative and must be shorter than Lifetime.");
        }

        if (options.IdleSettleAfter <= TimeSpan.Zero || options.TargetLeaseDuration <= TimeSpan.Zero)
        {
            failures.Add("Delegation:Leases:IdleSettleAfter and TargetLeaseDuration must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
