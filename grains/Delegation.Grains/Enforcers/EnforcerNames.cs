using Delegation.Grains.Errors;
using Delegation.Grains.Model;

namespace Delegation.Grains.Enforcers;

/// <summary>The rule for the names enforcers choose for themselves, on every transport.</summary>
public static class EnforcerNames
{
    /// <summary>Returns <paramref name="name"/> when it is 1 to <see cref="ModelLimits.MaxNameLength"/> printable characters.</summary>
    /// <param name="name">The name an enforcer gave.</param>
    /// <param name="field">The request field it came in, for the error message.</param>
    /// <returns>The name.</returns>
    /// <exception cref="RequestValidationException">The name breaks the rule.</exception>
    public static string Validate(string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > ModelLimits.MaxNameLength || name.Any(char.IsControl))
        {
            throw new RequestValidationException($"'{field}' must be a name of 1 to {ModelLimits.MaxNameLength} printable characters.");
        }

        return name;
    }
}
