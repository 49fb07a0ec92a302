using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Grants;

/// <summary><c>delegation tree &lt;id&gt;</c>: a grant and its whole subtree, drawn as a tree.</summary>
internal static class TreeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The subtree's root grant (any grant)" };
        var command = new Command("tree", "Draw a grant's subtree: agents, effective status in colour, budgets, expiry countdowns.") { id };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var tree = await session.Client().GetTreeAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(tree, DelegationJsonContext.Default.TreeResponse);
                return ExitCodes.Ok;
            }

            session.Out.Write(GrantTree.Create(tree, session.Time.GetUtcNow()));
            session.Out.MarkupLine($"[grey]{tree.Grants.Count} grant(s), tree version {tree.TreeVersion}[/]");
            return ExitCodes.Ok;
        });
        return command;
    }
}
