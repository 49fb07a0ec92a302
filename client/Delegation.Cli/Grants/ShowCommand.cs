using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Grants;

/// <summary><c>delegation show &lt;id&gt;</c>: one grant as a panel.</summary>
internal static class ShowCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The grant" };
        var command = new Command("show", "Show a grant: status and effective status (why, decided by which grant), budget, expiry countdown.") { id };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var grant = await session.Client().GetGrantAsync(parsed.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(grant, DelegationJsonContext.Default.GrantView);
            }
            else
            {
                session.Out.Write(GrantPanel.Create(grant, session.Time.GetUtcNow()));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
