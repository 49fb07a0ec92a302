using System.CommandLine;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Status;

/// <summary><c>delegation revoke-user &lt;user&gt;</c>: revokes everything on behalf of a person (offboarding).</summary>
internal static class RevokeUserCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var user = new Argument<string>("user") { Description = "The person, as named in their grants" };
        var reason = ReasonOption.Create();
        var command = new Command("revoke-user", "Kill switch: revoke every grant made on behalf of a person (offboarding).") { user, reason };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var name = parsed.GetValue(user)!;
            var result = await session.Client().RevokeUserAsync(name, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false);
            StatusChangeOutput.Write(session, result, $"Revoked everything on behalf of {name}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
