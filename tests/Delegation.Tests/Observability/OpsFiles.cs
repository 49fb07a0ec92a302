using System.Text.Json;
using Delegation.Tests.Cli;

namespace Delegation.Tests.Observability;

/// <summary>The operations files in <c>ops/</c>: the Grafana dashboard's queries and the Prometheus alert rules.</summary>
internal static class OpsFiles
{
    /// <summary>The dashboard's path.</summary>
    public static string Dashboard => Path.Combine(RepositoryPaths.Root, "ops", "grafana", "delegation-silos.json");

    /// <summary>The alert rules' path.</summary>
    public static string AlertRules => Path.Combine(RepositoryPaths.Root, "ops", "prometheus", "delegation-alerts.yml");

    /// <summary>Every PromQL expression of the dashboard: its panels' targets and its variables' queries.</summary>
    public static IReadOnlyList<string> DashboardExpressions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var root = document.RootElement;
        var expressions = new List<string>();
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            if (panel.TryGetProperty("targets", out var targets))
            {
                expressions.AddRange(targets.EnumerateArray().Select(t => t.GetProperty("expr").GetString()!));
            }
        }

        foreach (var variable in root.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            // label_values(metric, label): the metric is the first argument.
            if (variable.GetProperty("type").GetString() == "query")
            {
                var query = variable.GetProperty("query").GetProperty("query").GetString()!;
                expressions.Add(query["label_values(".Length..query.IndexOf(',', StringComparison.Ordinal)]);
            }
        }

        return expressions;
    }

    /// <summary>The alert rules by name, with their expressions (one line each, as the file writes them).</summary>
    public static IReadOnlyDictionary<string, string> Alerts()
    {
        var alerts = new Dictionary<string, string>(StringComparer.Ordinal);
        string? alert = null;
        foreach (var raw in File.ReadAllLines(AlertRules))
        {
            var line = raw.Trim();
            if (line.StartsWith("- alert:", StringComparison.Ordinal))
            {
                alert = line["- alert:".Length..].Trim();
            }
            else if (line.StartsWith("expr:", StringComparison.Ordinal))
            {
                var expression = line["expr:".Length..].Trim();
                Assert.False(expression is "|" or ">" or "|-" or ">-", $"Alert {alert}: write the expression on the expr: line.");
                Assert.NotNull(alert);
                alerts.Add(alert!, expression);
                alert = null;
            }
        }

        return alerts;
    }
}
