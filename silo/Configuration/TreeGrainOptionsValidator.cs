using Delegation.Grains.Trees;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Configuration;

/// <summary>Checks <c>Delegation:Trees</c> (<see cref="TreeGrainOptions"/>) at start-up and reports every problem at once.</summary>
public sealed class TreeGrainOptionsValidator : IValidateOptions<TreeGrainOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TreeGrainOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConflictRetries is < 0 or > 1000)
        {
            failures.Add("Delegation:Trees:MaxConflictRetries must be between 0 and 1000.");
        }

        if (options.RateShareLifetime < TimeSpan.FromMilliseconds(10) || options.RateShareLifetime > TimeSpan.FromMinutes(1))
        {
            failures.Add("Delegation:Trees:RateShareLifetime must be between 00:00:00.010 and 00:01:00.");
        }

        if (string.IsNullOrWhiteSpace(options.SiloName) || options.SiloName.Length > 200)
        {
            failures.Add("Delegation:SiloName must not be empty and at most 200 characters.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
