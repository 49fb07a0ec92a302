using System.CommandLine;
using System.Text.Json;
using Delegation.Api;
using Spectre.Console;

namespace Delegation.Cli.CommandLine;

/// <summary>Reports a command line that does not parse: what is wrong and where to look, without the whole help text.</summary>
internal static class UsageErrors
{
    /// <summary>Prints the parse errors (problem+json with <c>--json</c>) and returns the usage exit code.</summary>
    public static int Write(ParseResult parsed, bool json)
    {
        var detail = string.Join(" ", parsed.Errors.Select(e => e.Message));
        if (json)
        {
            var problem = new ProblemResponse(null, "The command line is not valid.", null, detail, ErrorReport.UsageCode);
            Console.Error.WriteLine(JsonSerializer.Serialize(problem, DelegationJsonContext.Default.ProblemResponse));
            return ExitCodes.Usage;
        }

        var error = Consoles.Create(Console.Error, Console.IsErrorRedirected);
        foreach (var e in parsed.Errors)
        {
            error.MarkupLine($"[red]error [bold]{ErrorReport.UsageCode}[/]: {Shown.Escape(e.Message)}[/]");
        }

        error.MarkupLine($"[grey]See '{Shown.Escape(CommandPath(parsed.CommandResult.Command))} --help'.[/]");
        return ExitCodes.Usage;
    }

    private static string CommandPath(Command command)
    {
        var names = new Stack<string>();
        for (Symbol? symbol = command; symbol is Command c; symbol = c.Parents.FirstOrDefault())
        {
            names.Push(c is RootCommand ? "delegation" : c.Name);
        }

        return string.Join(' ', names);
    }
}
