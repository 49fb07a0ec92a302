using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Grants;

/// <summary><c>delegation tree &lt;id&gt; [--at]</c>: a grant and its whole subtree, drawn as a tree.</summary>
internal static class TreeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The subtree's root grant (any grant)" };
        var at = AsOfOption.Create();
        var command = new Command("tree", "Draw a grant's subtree: agents, effective status in colour, budgets, expiry countdowns.") { id, at };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var grantId = parsed.GetValue(id)!;
            var asOf = parsed.GetValue(at);
            var tree = asOf is { } t
                ? await RawApi.GetAsync(session, AsOfOption.Uri(AsOfOption.GrantPath(grantId) + "/tree", t), DelegationJsonContext.Default.TreeResponse, cancellationToken).ConfigureAwait(false)
                : await session.Client().GetTreeAsync(grantId, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(tree, DelegationJsonContext.Default.TreeResponse);
                return ExitCodes.Ok;
            }

            session.Out.Write(GrantTree.Create(tree, asOf ?? session.Time.GetUtcNow()));
            session.Out.MarkupLine($"[grey]{tree.Grants.Count} grant(s), tree version {tree.TreeVersion}[/]");
            ShowCommand.AsOfNote(session, asOf);
            return ExitCodes.Ok;
        });
        return command;
    }
}
