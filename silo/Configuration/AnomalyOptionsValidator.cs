using Delegation.Grains.Anomaly;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Configuration;

/// <summary>Checks <c>Delegation:Anomaly</c> (<see cref="AnomalyOptions"/>) at start-up and reports every problem at once.</summary>
public sealed class AnomalyOptionsValidator : IValidateOptions<AnomalyOptions>
{
    private const string S = AnomalyOptions.Section;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Range(failures, $"{S}:MaxTrackedGrants", options.MaxTrackedGrants, 1, 10_000_000);
        Range(failures, $"{S}:IdleAfter", options.IdleAfter, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1));
        Range(failures, $"{S}:MaxKnownResources", options.MaxKnownResources, 1, 65_536);
        DenyRatio(failures, options.DenyRatio);
        RateSpike(failures, options.RateSpike, options.IdleAfter);
        NovelResources(failures, options.NovelResources, options.IdleAfter);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void DenyRatio(List<string> failures, DenyRatioRule rule)
    {
        const string P = $"{S}:DenyRatio";
        Range(failures, $"{P}:Window", rule.Window, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(failures, $"{P}:MinDecisions", rule.MinDecisions, 1, 1_000_000);
        if (!(rule.Ratio > 0 && rule.Ratio <= 1))
        {
            failures.Add($"{P}:Ratio must be above 0 and at most 1, not {rule.Ratio}.");
        }

        if (rule.Enabled && rule.CountedReasons.Count == 0)
        {
            failures.Add($"{P}:Reasons must name at least one deny reason ({string.Join(", ", AnomalyReasons.Countable.Keys)}).");
        }

        foreach (var reason in rule.CountedReasons)
        {
            if (!AnomalyReasons.TryParse(reason, out _))
            {
                failures.Add($"{P}:Reasons: '{reason}' is not a deny reason an agent causes; use {string.Join(", ", AnomalyReasons.Countable.Keys)}.");
            }
        }
    }

    private static void RateSpike(List<string> failures, RateSpikeRule rule, TimeSpan idleAfter)
    {
        const string P = $"{S}:RateSpike";
        Range(failures, $"{P}:Interval", rule.Interval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Baseline(failures, P, rule.Interval, rule.BaselineHalfLife, rule.Warmup, idleAfter);
        Factor(failures, P, rule.Factor);
        Range(failures, $"{P}:MinRequests", rule.MinRequests, 1, 100_000_000);
    }

    private static void NovelResources(List<string> failures, NovelResourcesRule rule, TimeSpan idleAfter)
    {
        const string P = $"{S}:NovelResources";
        Range(failures, $"{P}:Window", rule.Window, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Baseline(failures, P, rule.Window, rule.BaselineHalfLife, rule.Warmup, idleAfter);
        Factor(failures, P, rule.Factor);
        Range(failures, $"{P}:MaxNew", rule.MaxNew, 1, 1_000_000);
    }

    private static void Baseline(List<string> failures, string prefix, TimeSpan window, TimeSpan halfLife, TimeSpan warmup, TimeSpan idleAfter)
    {
        if (halfLife < window || halfLife > TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}:BaselineHalfLife must be at least the rule's window ({window:c}) and at most 1 day, not {halfLife:c}.");
        }

        if (warmup < TimeSpan.Zero || warmup >= idleAfter)
        {
            failures.Add($"{prefix}:Warmup must be at least 0 and shorter than {S}:IdleAfter ({idleAfter:c}), not {warmup:c}.");
        }
    }

    private static void Factor(List<string> failures, string prefix, double factor)
    {
        if (!(factor >= 1 && factor <= 1_000_000))
        {
            failures.Add($"{prefix}:Factor must be between 1 and 1000000, not {factor}.");
        }
    }

    private static void Range(List<string> failures, string setting, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min} and {max}, not {value}.");
        }
    }

    private static void Range(List<string> failures, string setting, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{setting} must be between {min:c} and {max:c}, not {value:c}.");
        }
    }
}
