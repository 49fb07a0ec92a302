using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Cli.Grants;
using Spectre.Console;

namespace Delegation.Cli.Enforcers;

/// <summary><c>delegation enforcers</c>: the enforcement points this silo knows, and how far behind the feed each is.</summary>
internal static class EnforcersCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("enforcers", "List the enforcers connected to this silo: acknowledged feed position and lag behind the head.");
        CliAction.Set(command, globals, async (session, _, cancellationToken) =>
        {
            var answer = await session.Client().GetEnforcersAsync(cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.WriteJson(answer, DelegationJsonContext.Default.EnforcersResponse);
            }
            else
            {
                Write(session, answer);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, EnforcersResponse answer)
    {
        if (answer.Enforcers.Count == 0)
        {
            session.Out.MarkupLine($"[grey]No enforcer has connected to this silo. Feed head {answer.Head}.[/]");
            return;
        }

        var now = session.Time.GetUtcNow();
        var table = new Table { Border = TableBorder.Rounded, Caption = new TableTitle($"feed head {answer.Head}") }
            .AddColumn("enforcer")
            .AddColumn("state")
            .AddColumn(new TableColumn("acked").RightAligned())
            .AddColumn(new TableColumn("lag").RightAligned())
            .AddColumn("last ack")
            .AddColumn("connected");
        foreach (var e in answer.Enforcers.OrderByDescending(e => e.Lag).ThenBy(e => e.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                Shown.Escape(e.Name),
                e.Connected ? "[green]live[/]" : "[grey]gone[/]",
                e.AckedSeq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Lag(e.Lag),
                e.LastAckAt is { } at ? $"{Durations.Format(now - at)} ago" : "[grey]never[/]",
                $"{Durations.Format(now - e.ConnectedAt)} ago [grey]({ExpiryMarkup.Instant(e.ConnectedAt)})[/]");
        }

        session.Out.Write(table);
    }

    private static string Lag(long lag) => lag switch
    {
        0 => "[green]0[/]",
        < 100 => $"[yellow]{lag}[/]",
        _ => $"[red]{lag}[/]",
    };
}
