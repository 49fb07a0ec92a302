using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Grants;

/// <summary><c>delegation show &lt;id&gt; [--at]</c>: one grant as a panel, now or as it was at a past time.</summary>
internal static class ShowCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var id = new Argument<string>("id") { Description = "The grant" };
        var at = AsOfOption.Create();
        var command = new Command("show", "Show a grant: status and effective status (why, decided by which grant), budget, expiry countdown.") { id, at };
        CliAction.Set(command, globals, async (session, parsed, cancellationToken) =>
        {
            var grantId = parsed.GetValue(id)!;
            var asOf = parsed.GetValue(at);
            var grant = asOf is { } t
                ? await RawApi.GetAsync(session, AsOfOption.Uri(AsOfOption.GrantPath(grantId), t), DelegationJsonContext.Default.GrantView, cancellationToken).ConfigureAwait(false)
                : await session.Client().GetGrantAsync(grantId, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(grant, DelegationJsonContext.Default.GrantView);
            }
            else
            {
                session.Out.Write(GrantPanel.Create(grant, asOf ?? session.Time.GetUtcNow()));
                AsOfNote(session, asOf);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Says, under an as-of view, that it is one (and that countdowns count from that time).</summary>
    internal static void AsOfNote(CliSession session, DateTimeOffset? asOf)
    {
        if (asOf is { } t)
        {
            session.Out.MarkupLine($"[grey]as of {ExpiryMarkup.Instant(t)}; countdowns count from then[/]");
        }
    }
}
