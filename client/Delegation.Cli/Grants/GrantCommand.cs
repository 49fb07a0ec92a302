using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Grants;

/// <summary><c>delegation grant &lt;user&gt; &lt;agent&gt; &lt;scope&gt;...</c>: a person grants an agent a root grant.</summary>
internal static class GrantCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var user = new Argument<string>("user") { Description = "The person on whose behalf the agent acts" };
        var agent = new Argument<string>("agent") { Description = "The agent that will hold the grant" };
        var spec = new GrantSpecOptions();
        var command = new Command("grant", "Create a root grant (person -> agent): scoped, budgeted, expiring. Prints its token once.")
        {
            user,
            agent,
        };
        spec.AddTo(command);
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var s = spec.Read(parsed);
            var request = new CreateGrantRequest(
                parsed.GetValue(user), parsed.GetValue(agent), s.Scope, s.Budget, s.ExpiresAt, s.TtlSeconds, s.MaxDepth, s.Purpose, s.Rate);
            var created = await session.Client().CreateGrantAsync(request, cancellationToken).ConfigureAwait(false);
            CreatedGrantOutput.Write(session, created, "Granted");
            return ExitCodes.Ok;
        });
        return command;
    }
}
