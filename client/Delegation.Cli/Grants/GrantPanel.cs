using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Delegation.Cli.Grants;

/// <summary>One grant as a panel: who, status and effective status (why, decided by whom), scope, budget, expiry.</summary>
internal static class GrantPanel
{
    private const int BarWidth = 20;

    public static IRenderable Create(GrantView grant, DateTimeOffset now)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        Row(grid, "agent", $"[bold]{Shown.Escape(grant.Agent)}[/] [grey]for[/] {Shown.Escape(grant.User)}");
        Row(grid, "status", StatusMarkup.Own(grant));
        Row(grid, "effective", StatusMarkup.Effective(grant));
        Row(grid, "scope", string.Join(Environment.NewLine, grant.Scope.Select(Shown.Escape)));
        Row(grid, "budget", BudgetBar.Of(grant.Budget, BarWidth, details: true));
        if (grant.Rate is { } rate)
        {
            Row(grid, "rate", Shown.Escape(rate.ToString()));
        }

        Row(grid, "expires", $"{ExpiryMarkup.Countdown(grant.ExpiresAt, now)} [grey]({ExpiryMarkup.Instant(grant.ExpiresAt)})[/]");
        Row(grid, "parent", grant.ParentId is { } parent ? Shown.Escape(parent) : "[grey]none (root grant)[/]");
        Row(grid, "depth", $"{grant.Depth} [grey]of at most[/] {grant.MaxDepth}");
        if (!string.IsNullOrEmpty(grant.Purpose))
        {
            Row(grid, "purpose", Shown.Escape(grant.Purpose));
        }

        Row(grid, "created", ExpiryMarkup.Instant(grant.CreatedAt));
        Row(grid, "tree", $"{Shown.Escape(grant.RootId)} [grey]version[/] {grant.TreeVersion}");
        return new Panel(grid)
        {
            Header = new PanelHeader($" {Shown.Escape(grant.Id)} "),
            Border = BoxBorder.Rounded,
            BorderStyle = new Style(Color.FromConsoleColor(ConsoleColor.DarkGray)),
        };
    }

    private static void Row(Grid grid, string label, string markup) =>
        grid.AddRow(new Markup($"[grey]{label}[/]"), new Markup(markup));
}
