using Delegation.Api;

namespace Delegation.Cli.Grants;

/// <summary>A budget as a bar of what is left: green, yellow under a quarter, red when exhausted.</summary>
internal static class BudgetBar
{
    /// <summary>The bar and the numbers, e.g. <c>████████░░ 8/10 left</c>; <c>unlimited</c> for no limit of its own.</summary>
    public static string Of(BudgetView? budget, int width, bool details = false)
    {
        if (budget is null)
        {
            return "[grey]unlimited[/]";
        }

        var filled = budget.Limit <= 0 ? 0 : (int)Math.Round(width * (double)Math.Max(0, budget.Remaining) / budget.Limit);
        filled = Math.Clamp(filled, budget.Remaining > 0 ? 1 : 0, width);
        var colour = budget.Remaining <= 0 ? "red" : budget.Remaining * 4 < budget.Limit ? "yellow" : "green";
        var bar = $"[{colour}]{new string('█', filled)}[/][grey]{new string('░', width - filled)}[/]";
        var numbers = $"{budget.Remaining}/{budget.Limit} left";
        return details
            ? $"{bar} {numbers} [grey](spent {budget.Spent}, reserved {budget.Reserved})[/]"
            : $"{bar} {numbers}";
    }
}
