using Delegation.Grains.Errors;
using Delegation.Grains.Model;
using Delegation.Scopes;

namespace Delegation.Grains.Trees;

/// <summary>Shape checks of a check request: a malformed request is a 400, not a deny.</summary>
internal static class CheckRules
{
    public static void Validate(string? action, string? resource, long cost)
    {
        if (!RequestSyntax.TryValidateAction(action, out var error))
        {
            throw new RequestValidationException(error!);
        }

        if (!RequestSyntax.TryValidateResource(resource, out error))
        {
            throw new RequestValidationException(error!, RequestRules.ResourceErrorCode(resource));
        }

        if (cost < 0 || cost > ModelLimits.MaxBudget)
        {
            throw new RequestValidationException($"'cost' must be between 0 and {ModelLimits.MaxBudget}.");
        }
    }
}
