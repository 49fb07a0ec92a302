using System.CommandLine;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Status;

/// <summary><c>delegation resume &lt;id&gt;</c>: lifts a suspension.</summary>
internal static class ResumeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The suspended grant" };
        var reason = ReasonOption.Create();
        var command = new Command("resume", "Resume a suspended grant and its subtree.") { id, reason };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var grantId = parsed.GetValue(id)!;
            var result = await session.Client().ResumeGrantAsync(grantId, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false);
            StatusChangeOutput.Write(session, result, $"Resumed {grantId}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
