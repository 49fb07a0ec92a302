using System.Text.Json;

namespace Delegation.LoadTest.Reporting;

/// <summary>Saves a report as JSON, Markdown and SVG, and reads saved reports back.</summary>
public static class ReportFiles
{
    /// <summary>Writes <c>&lt;scenario&gt;.json</c>, <c>&lt;scenario&gt;.md</c> and its charts to <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> Save(ScenarioReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, report.Scenario + ".json");
        File.WriteAllText(json, JsonSerializer.Serialize(report, ReportJsonContext.Default.ScenarioReport));
        var md = Path.Combine(directory, report.Scenario + ".md");
        File.WriteAllText(md, "# Load test report\n\n" + MarkdownReport.Section(report, directory, "."));
        return [json, md];
    }

    /// <summary>Reads every saved report in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<ScenarioReport> Load(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*.json")
            .Select(f => JsonSerializer.Deserialize(File.ReadAllText(f), ReportJsonContext.Default.ScenarioReport))
            .OfType<ScenarioReport>()];
}
