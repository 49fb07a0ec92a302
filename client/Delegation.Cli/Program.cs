using Delegation.Cli.CommandLine;

namespace Delegation.Cli;

/// <summary>The <c>delegation</c> tool's entry point.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var globals = new GlobalOptions();
        var parsed = DelegationRootCommand.Create(globals).Parse(args);
        return parsed.Errors.Count > 0
            ? UsageErrors.Write(parsed, parsed.GetValue(globals.Json))
            : await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
