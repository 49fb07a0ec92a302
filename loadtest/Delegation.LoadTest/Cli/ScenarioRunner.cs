using System.Diagnostics;
using Delegation.LoadTest.Reporting;
using Spectre.Console;

namespace Delegation.LoadTest.Cli;

/// <summary>Runs one scenario with a progress display, then prints and saves its report.</summary>
public static class ScenarioRunner
{
    /// <summary>Runs <paramref name="body"/> and writes the report (terminal, JSON, Markdown, SVG).</summary>
    public static async Task<int> RunAsync(
        string scenario, string title, ScenarioSettings settings, Dictionary<string, string> extraSettings, Func<ScenarioContext, Task> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(body);
        var report = new ScenarioReport
        {
            Scenario = scenario,
            Title = title,
            Command = "dotnet run -c Release --project loadtest/Delegation.LoadTest -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            StartedAt = TimeProvider.System.GetUtcNow(),
            Machine = MachineInfo.Current(),
            Settings = new Dictionary<string, string>
            {
                ["store"] = settings.Url is null ? settings.Store : $"silo at {settings.Url}",
                ["warmup"] = $"{settings.Warmup.TotalSeconds:0.#} s",
                ["duration"] = $"{settings.Duration.TotalSeconds:0.#} s per row",
                ["slices"] = $"{settings.Slices} (compared rows take turns)",
                ["mode"] = settings.Mode,
            },
        };
        foreach (var (key, value) in extraSettings)
        {
            report.Settings[key] = value;
        }

        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(ctx => body(new ScenarioContext(settings, report, ctx, cancellationToken)))
            .ConfigureAwait(false);
        report.Seconds = clock.Elapsed.TotalSeconds;

        ConsoleReport.Write(report);
        foreach (var file in ReportFiles.Save(report, settings.OutputDirectory))
        {
            AnsiConsole.MarkupLine($"[grey]wrote {Markup.Escape(file)}[/]");
        }

        return report.Measurements.Any(m => m.Errors > 0) ? 2 : 0;
    }
}
