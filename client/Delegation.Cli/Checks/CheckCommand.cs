using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Cli.Grants;
using Delegation.Grants;
using Spectre.Console;

namespace Delegation.Cli.Checks;

/// <summary>
/// <c>delegation check &lt;token|grantId&gt; &lt;action&gt; [resource] [--cost]</c>: asks what a gateway asks. Exits 0 on
/// allow and 1 on deny, so a script can branch on it.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var subject = new Argument<string>("token|grantId") { Description = "The agent's grant token (dgt_...) or a grant id" };
        var action = new Argument<string>("action") { Description = "A concrete action, e.g. tickets:read" };
        var resource = new Argument<string?>("resource") { Description = "A concrete resource path, e.g. projects/42/7", Arity = ArgumentArity.ZeroOrOne };
        var cost = new Option<long?>("--cost") { Description = "Units to spend when allowed (default 0)", HelpName = "units" };
        var approval = new Option<string?>("--approval") { Description = "Present an approved approval request (allowed once)", HelpName = "id" };
        var command = new Command("check", "Ask whether a grant's holder may do an action on a resource, at a cost, now (needs an admin or enforcer key). Exit code 1 on deny.")
        {
            subject,
            action,
            resource,
            cost,
            approval,
        };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var given = parsed.GetValue(subject)!;
            var isToken = given.StartsWith(GrantToken.Prefix, StringComparison.Ordinal);
            var request = new CheckRequest(
                isToken ? given : null, isToken ? null : given, parsed.GetValue(action), parsed.GetValue(resource), parsed.GetValue(cost), parsed.GetValue(approval));
            var answer = await session.Client().CheckAsync(request, cancellationToken).ConfigureAwait(false);
            Write(session, answer);
            return answer.Decision == Decision.Allow ? ExitCodes.Ok : ExitCodes.Denied;
        });
        return command;
    }

    private static void Write(CliSession session, CheckResponse answer)
    {
        if (session.Json)
        {
            session.WriteJson(answer, DelegationJsonContext.Default.CheckResponse);
            return;
        }

        var grant = answer.GrantId is { } id ? $" [grey]grant[/] {Shown.Escape(id)}" : string.Empty;
        if (answer.Decision == Decision.Allow)
        {
            var remaining = answer.Remaining is { } r ? $" [grey]remaining[/] {r}" : " [grey]remaining unlimited[/]";
            session.Out.MarkupLine($"[green bold]allow[/]{grant}{remaining}");
            return;
        }

        var reason = answer.Reason is { } why ? WireNames.Of(why) : "denied";
        var decidedBy = answer.DecidedBy is { } by && by != answer.GrantId ? $" [grey]decided by[/] {Shown.Escape(by)}" : string.Empty;
        var approvalId = answer.ApprovalId is { } a ? $" [grey]approval[/] {Shown.Escape(a)}" : string.Empty;
        var retry = answer.RetryAfterMs is { } ms ? $" [grey]retry after[/] {ms} ms" : string.Empty;
        session.Out.MarkupLine($"[red bold]deny[/] [red]{reason}[/]{grant}{decidedBy}{approvalId}{retry}");
    }
}
