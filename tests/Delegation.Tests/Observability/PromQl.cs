using System.Text.RegularExpressions;

namespace Delegation.Tests.Observability;

/// <summary>
/// The metric names a PromQL expression reads: what is left once strings, label matchers, grouping clauses, range
/// selectors, Grafana variables, numbers, functions (a name before a parenthesis) and keywords are taken away.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan",
    };

    /// <summary>The distinct metric names <paramref name="expression"/> selects.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = Strings().Replace(expression, " ");
        text = Matchers().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Variables().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match token in Identifiers().Matches(text))
        {
            var name = token.Groups["name"].Value;
            var isFunction = token.Groups["call"].Success;
            if (!isFunction && !Keywords.Contains(name.ToLowerInvariant()))
            {
                names.Add(name);
            }
        }

        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
