using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Grants;
using Spectre.Console;

namespace Delegation.Cli.Audit;

/// <summary><c>delegation audit tail</c>: follows the decision log (every check's allow or deny) live.</summary>
internal static class AuditCommand
{
    private const int DefaultLast = 10;

    public static Command Create(GlobalOptions globals)
    {
        var agent = new Option<string?>("--agent") { Description = "Only decisions about grants held by this agent", HelpName = "agent" };
        var user = new Option<string?>("--user") { Description = "Only decisions on behalf of this person", HelpName = "user" };
        var grant = new Option<string?>("--grant") { Description = "Only decisions about this grant", HelpName = "id" };
        var subtree = new Option<bool>("--subtree") { Description = "With --grant: also every grant under it" };
        var action = new Option<string?>("--action") { Description = "Only decisions about exactly this action", HelpName = "action" };
        var decision = new Option<string?>("--decision") { Description = "Only allows or only denies", HelpName = "allow|deny" };
        decision.AcceptOnlyFromAmong("allow", "deny");
        var last = new Option<int>("--last") { Description = "First show this many of the latest decisions", HelpName = "n", DefaultValueFactory = _ => DefaultLast };
        var interval = new Option<TimeSpan?>("--interval")
        {
            Description = "How often to poll the decision log (default 1s)",
            HelpName = "duration",
            CustomParser = ParsedValues.Duration,
        };
        var tail = new Command("tail", "Follow the decision log live until Ctrl+C: every check's allow or deny, why, for whom (needs an admin or issuer key).")
        {
            agent, user, grant, subtree, action, decision, last, interval,
        };
        tail.Validators.Add(result =>
        {
            if (result.GetValue(last) is < 0 or > 1000)
            {
                result.AddError("--last must be between 0 and 1000.");
            }

            if (result.GetValue(subtree) && result.GetResult(grant) is null)
            {
                result.AddError("--subtree needs --grant.");
            }
        });
        CliAction.Set(tail, globals, async (session, parsed, cancellationToken) =>
        {
            var filter = new AuditFilter(
                parsed.GetValue(agent), parsed.GetValue(user), parsed.GetValue(grant), parsed.GetValue(subtree), parsed.GetValue(action),
                parsed.GetValue(decision) switch { "allow" => Decision.Allow, "deny" => Decision.Deny, _ => null });
            var follower = new AuditFollower(session, filter, parsed.GetValue(interval) ?? TimeSpan.FromSeconds(1));
            try
            {
                await follower.FollowAsync(parsed.GetValue(last), d => Write(session, d), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a tail ends.
            }

            return ExitCodes.Ok;
        });
        return new Command("audit", "The decision log: every check's answer and why.") { tail };
    }

    private static void Write(CliSession session, DecisionRecord decision)
    {
        if (session.Json)
        {
            session.WriteJson(decision, DelegationJsonContext.Default.DecisionRecord);
        }
        else
        {
            session.Out.MarkupLine(DecisionMarkup.Line(decision));
        }
    }
}
