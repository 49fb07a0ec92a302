using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Grants;

/// <summary>Prints a new grant and its token, which the silo shows this once only.</summary>
internal static class CreatedGrantOutput
{
    private const string Warning = "This token is shown once: store it now. The silo keeps only its hash.";

    public static void Write(CliSession session, GrantCreatedResponse created, string verb)
    {
        if (session.Json)
        {
            session.WriteJson(created, DelegationJsonContext.Default.GrantCreatedResponse);
            session.Error.MarkupLine($"[yellow]{Warning}[/]");
            return;
        }

        var grant = created.Grant;
        session.Out.MarkupLine($"[green]{verb}[/] [bold]{Shown.Escape(grant.Id)}[/]: {Shown.Escape(grant.Agent)} for {Shown.Escape(grant.User)}");
        session.Out.Write(GrantPanel.Create(grant, session.Time.GetUtcNow()));
        session.Out.MarkupLine($"[yellow bold]![/] [yellow]{Warning}[/]");

        // Written raw, never through the console's wrapping, so that copying it always yields the whole token.
        session.RawOut.WriteLine(created.Token);
        session.RawOut.Flush();
    }
}
