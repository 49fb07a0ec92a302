using Spectre.Console;

namespace Delegation.LoadTest.Reporting;

/// <summary>The terminal view of a report: one table of rows, one of facts.</summary>
public static class ConsoleReport
{
    /// <summary>Writes the report's tables to the console.</summary>
    public static void Write(ScenarioReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        AnsiConsole.Write(new Rule($"[bold]{Markup.Escape(report.Title)}[/]").LeftJustified());
        if (report.Measurements.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in new[] { "measurement", "mode", "conc", "ops", "errors", "throughput", "vs baseline", "ops/CPU-s", "CPU vs baseline", "p50", "p90", "p99", "p99.9", "max", "alloc/op" })
            {
                table.AddColumn(new TableColumn(column).RightAligned());
            }

            table.Columns[0].LeftAligned();
            foreach (var m in report.Measurements)
            {
                table.AddRow(
                    Markup.Escape(m.Name),
                    m.TargetRate is { } rate ? $"open {Format.Rate(rate)}" : m.Mode,
                    m.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Format.Count(m.Operations),
                    m.Errors == 0 ? "0" : $"[red]{Format.Count(m.Errors)}[/]",
                    Format.Rate(m.Throughput),
                    Format.Ratio(m.ThroughputRatio),
                    m.OpsPerCpuSecond is { } perCpu ? Format.Rate(perCpu) : "-",
                    m.Baseline is null ? "baseline" : Format.Ratio(m.CpuEfficiencyRatio),
                    Format.Nanos(m.Latency.P50),
                    Format.Nanos(m.Latency.P90),
                    Format.Nanos(m.Latency.P99),
                    Format.Nanos(m.Latency.P999),
                    Format.Nanos(m.Latency.Max),
                    m.AllocatedBytesPerOp is { } a ? Format.Number(a, 0) + " B" : "-");
            }

            AnsiConsole.Write(table);
        }

        if (report.Facts.Count > 0)
        {
            var facts = new Table().Border(TableBorder.Rounded).AddColumn("fact").AddColumn(new TableColumn("value").RightAligned()).AddColumn("note");
            foreach (var fact in report.Facts)
            {
                facts.AddRow(Markup.Escape(fact.Name), Markup.Escape(Format.Fact(fact)), Markup.Escape(fact.Note ?? string.Empty));
            }

            AnsiConsole.Write(facts);
        }

        foreach (var m in report.Measurements.Where(m => m.FirstError is not null))
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(m.Name)}: first error: {Markup.Escape(m.FirstError!)}[/]");
        }

        foreach (var note in report.Notes)
        {
            AnsiConsole.MarkupLine($"[grey]- {Markup.Escape(note)}[/]");
        }
    }
}
