using System.CommandLine;
using System.Text.Json;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Client;
using Spectre.Console;

namespace Delegation.Cli.Status;

/// <summary>
/// <c>delegation status</c>: is the silo ready? Its readiness checks (<c>GET /readyz</c>: the store answers, the silo is
/// active in its cluster, the feed is not behind), one line each. Exit 0 when ready, 6 when not or when no silo answers.
/// Needs no credential: the probe is open, like a load balancer's.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("status", "Is the silo ready? Its readiness checks: store reachable, active in the cluster, feed not behind. Exit 6 when not ready.");
        CliAction.Set(command, globals, async (session, _, cancellationToken) =>
        {
            var (ready, body) = await ReadAsync(session, cancellationToken).ConfigureAwait(false);
            if (session.Json)
            {
                session.RawOut.WriteLine(body.GetRawText());
            }
            else
            {
                Write(session, ready, body);
            }

            return ready ? ExitCodes.Ok : ExitCodes.Unavailable;
        });
        return command;
    }

    private static async Task<(bool Ready, JsonElement Body)> ReadAsync(CliSession session, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await session.Http.GetAsync(new Uri("readyz", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DelegationUnavailableException(
                $"The delegation authority at {session.Url} could not be reached or did not answer in time ({ErrorCodes.AuthorityUnavailable}).",
                ErrorCodes.AuthorityUnavailable,
                innerException: e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && (int)response.StatusCode != 503)
            {
                throw new DelegationApiException($"The silo answered GET /readyz with {(int)response.StatusCode}.", $"http_{(int)response.StatusCode}", (int)response.StatusCode);
            }

            using var document = JsonDocument.Parse(text);
            return (response.IsSuccessStatusCode, document.RootElement.Clone());
        }
    }

    private static void Write(CliSession session, bool ready, JsonElement body)
    {
        var table = new Table { Border = TableBorder.Rounded, Caption = new TableTitle(ready ? "[green]ready[/]" : "[red]not ready[/]") }
            .AddColumn("check")
            .AddColumn("status")
            .AddColumn("detail");
        foreach (var check in body.GetProperty("checks").EnumerateObject())
        {
            var status = check.Value.GetProperty("status").GetString() ?? "Unknown";
            table.AddRow(
                Markup.Escape(check.Name),
                status == "Healthy" ? "[green]healthy[/]" : $"[red]{Markup.Escape(status.ToLowerInvariant())}[/]",
                Markup.Escape(check.Value.GetProperty("description").GetString() ?? string.Empty));
        }

        session.Out.MarkupLine($"Silo {Markup.Escape(session.Url.ToString())}");
        session.Out.Write(table);
    }
}
