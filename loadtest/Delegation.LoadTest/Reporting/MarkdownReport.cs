using System.Globalization;
using System.Text;

namespace Delegation.LoadTest.Reporting;

/// <summary>A report as Markdown, with its charts as SVG files beside it.</summary>
public static class MarkdownReport
{
    /// <summary>
    /// The report's section; charts are written to <paramref name="assetDirectory"/> and linked as
    /// <paramref name="assetLink"/>/name.svg.
    /// </summary>
    public static string Section(ScenarioReport report, string assetDirectory, string assetLink, int headingLevel = 2)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var h = new string('#', headingLevel);
        md.AppendLine(CultureInfo.InvariantCulture, $"{h} `{report.Scenario}`: {report.Title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"```").AppendLine(report.Command).AppendLine("```").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {report.StartedAt:yyyy-MM-dd HH:mm} UTC in {report.Seconds:F0} s on {report.Machine}.");
        if (report.Settings.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Settings: {string.Join(", ", report.Settings.Select(s => $"{s.Key} = {s.Value}"))}.");
        }

        md.AppendLine();
        if (report.Measurements.Count > 0)
        {
            md.AppendLine("| measurement | mode | conc | ops | errors | throughput | vs baseline | ops/CPU-s | CPU vs baseline | p50 | p90 | p99 | p99.9 | max | alloc/op |");
            md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var m in report.Measurements)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {m.Name} | {(m.TargetRate is { } r ? "open " + Format.Rate(r) : m.Mode)} | {m.Concurrency} | {Format.Count(m.Operations)} | {Format.Count(m.Errors)} | {Format.Rate(m.Throughput)} | {Format.Ratio(m.ThroughputRatio)} | {(m.OpsPerCpuSecond is { } perCpu ? Format.Rate(perCpu) : "-")} | {(m.Baseline is null ? "baseline" : Format.Ratio(m.CpuEfficiencyRatio))} | {Format.Nanos(m.Latency.P50)} | {Format.Nanos(m.Latency.P90)} | {Format.Nanos(m.Latency.P99)} | {Format.Nanos(m.Latency.P999)} | {Format.Nanos(m.Latency.Max)} | {(m.AllocatedBytesPerOp is { } a ? Format.Number(a, 0) + " B" : "-")} |");
            }

            md.AppendLine();
            md.AppendLine("*throughput* is wall-clock; *ops/CPU-s* divides operations by the CPU time the whole process used meanwhile (workers, silo, GC), so it does not fall when other processes take the cores; *vs baseline* compares throughput, *CPU vs baseline* compares ops/CPU-s with the first row of the same group.").AppendLine();
            foreach (var m in report.Measurements.Where(m => m.FirstError is not null))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {m.Name}: first error: `{m.FirstError}`");
            }

            var open = report.Measurements.Where(m => m.ServiceTime is not null).ToList();
            if (open.Count > 0)
            {
                md.AppendLine("Open-loop rows: latency counts from each operation's scheduled send time (corrected for coordinated omission). The service time alone (from the actual send) was:").AppendLine();
                foreach (var m in open)
                {
                    var s = m.ServiceTime!.Value;
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {m.Name} at {Format.Rate(m.TargetRate ?? 0)}: p50 {Format.Nanos(s.P50)}, p99 {Format.Nanos(s.P99)}, p99.9 {Format.Nanos(s.P999)}, max {Format.Nanos(s.Max)}");
                }

                md.AppendLine();
            }
        }

        if (report.Facts.Count > 0)
        {
            md.AppendLine("| figure | value | how |").AppendLine("| --- | ---: | --- |");
            foreach (var f in report.Facts)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {f.Name} | {Format.Fact(f)} | {f.Note ?? string.Empty} |");
            }

            md.AppendLine();
        }

        foreach (var note in report.Notes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        if (report.Notes.Count > 0)
        {
            md.AppendLine();
        }

        Directory.CreateDirectory(assetDirectory);
        if (Charts.Latency(report) is { } latency)
        {
            var name = $"{report.Scenario}-latency.svg";
            File.WriteAllText(Path.Combine(assetDirectory, name), latency.Render());
            md.AppendLine(CultureInfo.InvariantCulture, $"![{report.Scenario} latency by percentile]({assetLink}/{name})").AppendLine();
        }

        if (Charts.Cdf(report, $"{report.Title}: cumulative distribution", "milliseconds") is { } cdf)
        {
            var name = $"{report.Scenario}-cdf.svg";
            File.WriteAllText(Path.Combine(assetDirectory, name), cdf.Render());
            md.AppendLine(CultureInfo.InvariantCulture, $"![{report.Scenario} cumulative distribution]({assetLink}/{name})").AppendLine();
        }

        return md.ToString();
    }
}
