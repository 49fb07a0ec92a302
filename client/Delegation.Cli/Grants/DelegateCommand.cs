using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Grants;

/// <summary>
/// <c>delegation delegate &lt;parentId&gt; &lt;agent&gt; &lt;scope&gt;...</c>: a narrower grant for a sub-agent, as an
/// issuer or admin, or as the parent's holder with <c>--token</c>.
/// </summary>
internal static class DelegateCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var parent = new Argument<string>("parentId") { Description = "The grant to delegate from" };
        var agent = new Argument<string>("agent") { Description = "The sub-agent that will hold the delegation" };
        var token = new Option<string?>("--token")
        {
            Description = "Act as the parent's holder with its grant token (dgt_...) instead of --key; '-' reads it from standard input",
            HelpName = "token",
        };
        var spec = new GrantSpecOptions();
        var command = new Command("delegate", "Delegate a narrower grant to a sub-agent; it must be covered by its parent. Prints its token once.")
        {
            parent,
            agent,
        };
        spec.AddTo(command);
        command.Options.Add(token);
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var s = spec.Read(parsed);
            var request = new DelegateRequest(parsed.GetValue(agent), s.Scope, s.Budget, s.ExpiresAt, s.TtlSeconds, s.MaxDepth, s.Purpose, s.Rate);
            var created = await session.Client(parsed.GetValue(token))
                .DelegateAsync(parsed.GetValue(parent)!, request, cancellationToken).ConfigureAwait(false);
            CreatedGrantOutput.Write(session, created, "Delegated");
            return ExitCodes.Ok;
        });
        return command;
    }
}
