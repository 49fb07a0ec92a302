using System.CommandLine;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Status;

/// <summary><c>delegation revoke-agent &lt;agent&gt;</c>: the kill switch for a compromised agent.</summary>
internal static class RevokeAgentCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var agent = new Argument<string>("agent") { Description = "The agent, as named in its grants" };
        var reason = ReasonOption.Create();
        var command = new Command("revoke-agent", "Kill switch: revoke every grant an agent holds, with their subtrees.") { agent, reason };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var name = parsed.GetValue(agent)!;
            var result = await session.Client().RevokeAgentAsync(name, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false);
            StatusChangeOutput.Write(session, result, $"Revoked everything agent {name} holds");
            return ExitCodes.Ok;
        });
        return command;
    }
}
