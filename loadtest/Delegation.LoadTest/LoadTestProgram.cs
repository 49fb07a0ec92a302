using System.CommandLine;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Scenarios;
using Spectre.Console;

namespace Delegation.LoadTest;

/// <summary>The load test's entry point: one command per scenario, plus <c>report</c>.</summary>
public static class LoadTestProgram
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static Task<int> Main(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // A log file wants plain, wide tables rather than colours wrapped at 80 columns.
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
            AnsiConsole.Profile.Width = 200;
        }

        var root = new RootCommand("Load test of the delegation authority. Every scenario starts the silo it needs on 127.0.0.1 (or drives --url) and measures baselines in the same run.")
        {
            LocalScenario.Create(),
            RemoteScenario.Create(),
            JwtScenario.Create(),
            RevocationScenario.Create(),
            BudgetScenario.Create(),
            ChurnScenario.Create(),
            MemoryScenario.Create(),
            OrleansClientScenario.Create(),
            TransportsScenario.Create(),
            GatewayScenario.Create(),
            OAuthScenario.Create(),
            AnomalyScenario.Create(),
            ReportCommand.Create(),
        };
        return root.Parse(args).InvokeAsync();
    }
}
