using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Status;

/// <summary>Prints the answer of revoke, suspend, resume and the kill switches: what changed, where, how far it reached.</summary>
internal static class StatusChangeOutput
{
    /// <summary>Prints <paramref name="result"/>; <paramref name="what"/> says what was changed, e.g. <c>Revoked g_...</c>.</summary>
    public static void Write(CliSession session, StatusChangeResponse result, string what)
    {
        if (session.Json)
        {
            session.WriteJson(result, DelegationJsonContext.Default.StatusChangeResponse);
            return;
        }

        if (result.Affected == 0)
        {
            session.Out.MarkupLine($"[grey]{Shown.Escape(what)}: nothing changed (already in that state, or nothing matched).[/]");
        }
        else
        {
            var where = result.TreeVersion is { } version ? $"tree version {version}" : $"{result.Trees} tree(s)";
            session.Out.MarkupLine($"[green]{Shown.Escape(what)}[/]: {result.Affected} grant(s) affected [grey]({where})[/]");
        }

        if (result.Propagation is { } propagation)
        {
            session.Out.MarkupLine(Propagation(propagation));
        }
    }

    private static string Propagation(PropagationView p) => p switch
    {
        { Total: 0 } => "[grey]propagation: no live enforcers to wait for[/]",
        { TimedOut: true } => $"[yellow]propagation: timed out after {p.ElapsedMs} ms with {p.Acked}/{p.Total} live enforcers acknowledged; the others fail closed within their max staleness[/]",
        _ => $"[green]propagation: {p.Acked}/{p.Total} live enforcers acknowledged in {p.ElapsedMs} ms[/]",
    };
}
