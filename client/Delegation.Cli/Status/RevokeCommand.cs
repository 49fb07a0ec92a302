using System.CommandLine;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Status;

/// <summary>
/// <c>delegation revoke &lt;id&gt; [--reason] [--wait [--timeout]]</c>: revokes a grant and its whole subtree; with
/// <c>--wait</c>, returns once every live enforcer has acknowledged it (or the timeout passed, which is reported).
/// </summary>
internal static class RevokeCommand
{
    // The silo waits at most a minute; the HTTP call must outlast the wait, or this tool would give up first.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HttpMargin = TimeSpan.FromSeconds(15);

    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The grant to revoke, with its subtree" };
        var reason = ReasonOption.Create();
        var wait = new Option<bool>("--wait")
        {
            Description = "Return only when every live enforcer has acknowledged the revocation, or the timeout passed",
        };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "How long the silo waits for acknowledgements with --wait (default the silo's, 5s; at most 60s)",
            HelpName = "duration",
            CustomParser = ParsedValues.Duration,
        };
        var command = new Command("revoke", "Revoke a grant and its whole subtree in one write.") { id, reason, wait, timeout };
        command.Validators.Add(result =>
        {
            if (result.GetResult(timeout) is not null && !result.GetValue(wait))
            {
                result.AddError("--timeout needs --wait.");
            }

            if (result.GetValue(timeout) is { } t && t > MaxWait)
            {
                result.AddError($"--timeout must be at most {MaxWait.TotalSeconds:0}s.");
            }
        });
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var grantId = parsed.GetValue(id)!;
            var waitTimeout = parsed.GetValue(timeout);
            var waiting = parsed.GetValue(wait);
            if (waiting)
            {
                session.HttpTimeout = (waitTimeout ?? MaxWait) + HttpMargin;
            }

            var client = session.Client();
            var result = waiting
                ? await client.RevokeGrantAndWaitAsync(grantId, parsed.GetValue(reason), waitTimeout, cancellationToken).ConfigureAwait(false)
                : await client.RevokeGrantAsync(grantId, parsed.GetValue(reason), cancellationToken).ConfigureAwait(false);
            StatusChangeOutput.Write(session, result, $"Revoked {grantId}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
