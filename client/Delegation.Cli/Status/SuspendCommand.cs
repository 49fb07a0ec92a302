using System.CommandLine;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Status;

/// <summary><c>delegation suspend &lt;id&gt;</c>: a reversible revocation of a grant and its subtree.</summary>
internal static class SuspendCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The grant to suspend, with its subtree" };
        var reason = ReasonOption.Create();
        var command = new Command("suspend", "Suspend a grant and its subtree (reversible: see resume).") { id, reason };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var grantId = parsed.GetValue(id)!;
            var result = await session.Client().SuspendGrantAsync(grantId, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false);
            StatusChangeOutput.Write(session, result, $"Suspended {grantId}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
