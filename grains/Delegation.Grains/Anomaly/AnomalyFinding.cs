using System.Globalization;

namespace Delegation.Grains.Anomaly;

/// <summary>A rule that fired: its name, what was observed and the threshold it passed.</summary>
/// <param name="Rule">The rule's name (<c>deny_ratio</c>, <c>rate_spike</c>, <c>novel_resources</c>).</param>
/// <param name="Observed">The observed value (a ratio, or requests or new pairs in the window).</param>
/// <param name="Threshold">The threshold it passed.</param>
/// <param name="Window">The window it was observed over.</param>
public readonly record struct AnomalyFinding(string Rule, double Observed, double Threshold, TimeSpan Window)
{
    /// <summary>The prefix of every anomaly suspension's reason.</summary>
    public const string ReasonPrefix = "anomaly:";

    /// <summary>The actor written on anomaly suspensions.</summary>
    public const string Actor = "anomaly-detector";

    /// <summary>
    /// The suspension's reason: <c>anomaly:&lt;rule&gt;</c>, then after a space what was observed, for the person who
    /// reads the feed (the rule is everything before the first space).
    /// </summary>
    public string Reason => Rule switch
    {
        DenyRatioRule.Name => string.Create(CultureInfo.InvariantCulture, $"{ReasonPrefix}{Rule} {Observed * 100:0}% of requests denied within {Seconds(Window)} (threshold {Threshold * 100:0}%)"),
        RateSpikeRule.Name => string.Create(CultureInfo.InvariantCulture, $"{ReasonPrefix}{Rule} {Observed:0} requests within {Seconds(Window)} (threshold {Threshold:0.#})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{ReasonPrefix}{Rule} {Observed:0} new resources within {Seconds(Window)} (threshold {Threshold:0.#})"),
    };

    private static string Seconds(TimeSpan window) => string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds:0.###}s");
}
