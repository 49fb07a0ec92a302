using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Grants;

/// <summary>A subtree drawn as a tree: each grant's agent, effective status in colour, budget and expiry.</summary>
internal static class GrantTree
{
    private const int BarWidth = 10;

    public static Tree Create(TreeResponse tree, DateTimeOffset now)
    {
        var root = tree.Grants.FirstOrDefault(g => g.Id == tree.GrantId) ?? tree.Grants[0];
        var drawn = new Tree(Label(root, now)) { Guide = TreeGuide.Line };
        var nodes = new Dictionary<string, IHasTreeNodes>(StringComparer.Ordinal) { [root.Id] = drawn };

        // Depth first, each grant before its children: a grant's parent is always drawn before it.
        foreach (var grant in tree.Grants.Where(g => g.Id != root.Id))
        {
            var parent = grant.ParentId is { } p && nodes.TryGetValue(p, out var node) ? node : drawn;
            nodes[grant.Id] = parent.AddNode(Label(grant, now));
        }

        return drawn;
    }

    private static Markup Label(GrantView grant, DateTimeOffset now) => new(
        $"[bold]{Shown.Escape(grant.Agent)}[/] [grey]for {Shown.Escape(grant.User)}[/]  {StatusMarkup.Effective(grant)}{StatusMarkup.Why(grant)}  "
        + $"{BudgetBar.Of(grant.Budget, BarWidth)}{(grant.Rate is { } rate ? $"  [grey]rate[/] {Shown.Escape(rate.ToString())}" : string.Empty)}  [grey]expires[/] {ExpiryMarkup.Countdown(grant.ExpiresAt, now)}  [grey]{Shown.Escape(grant.Id)}[/]");
}
