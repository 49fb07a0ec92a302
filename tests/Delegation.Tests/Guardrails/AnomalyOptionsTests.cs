using Delegation.Grains.Anomaly;
using Delegation.Silo.Configuration;
using Delegation.Tests.Enforcement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delegation.Tests.Guardrails;

/// <summary><c>Delegation:Anomaly</c> is read from configuration and checked at start, every problem reported at once.</summary>
public sealed class AnomalyOptionsTests
{
    [Fact]
    public void The_default_rules_are_valid()
    {
        Assert.True(new AnomalyOptionsValidator().Validate(null, new AnomalyOptions()).Succeeded);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once_naming_the_setting()
    {
        var options = new AnomalyOptions
        {
            MaxTrackedGrants = 0,
            IdleAfter = TimeSpan.FromSeconds(1),
            MaxKnownResources = 0,
            DenyRatio = new DenyRatioRule { Window = TimeSpan.Zero, MinDecisions = 0, Ratio = 1.5, Reasons = ["scope_mismatch", "revoked"] },
            RateSpike = new RateSpikeRule { Interval = TimeSpan.FromSeconds(1), BaselineHalfLife = TimeSpan.FromMilliseconds(500), Factor = 0.5, MinRequests = 0 },
            NovelResources = new NovelResourcesRule { Warmup = TimeSpan.FromHours(2), MaxNew = -1 },
        };

        var failures = new AnomalyOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Delegation:Anomaly:MaxTrackedGrants must be between 1 and 10000000, not 0.",
                "Delegation:Anomaly:IdleAfter must be between 00:00:10 and 1.00:00:00, not 00:00:01.",
                "Delegation:Anomaly:MaxKnownResources must be between 1 and 65536, not 0.",
                "Delegation:Anomaly:DenyRatio:Window must be between 00:00:00.1000000 and 01:00:00, not 00:00:00.",
                "Delegation:Anomaly:DenyRatio:MinDecisions must be between 1 and 1000000, not 0.",
                "Delegation:Anomaly:DenyRatio:Ratio must be above 0 and at most 1, not 1.5.",
                "Delegation:Anomaly:DenyRatio:Reasons: 'revoked' is not a deny reason an agent causes; use scope_mismatch, budget_exhausted, rate_limited, approval_required.",
                "Delegation:Anomaly:RateSpike:BaselineHalfLife must be at least the rule's window (00:00:01) and at most 1 day, not 00:00:00.5000000.",
                "Delegation:Anomaly:RateSpike:Warmup must be at least 0 and shorter than Delegation:Anomaly:IdleAfter (00:00:01), not 00:00:30.",
                "Delegation:Anomaly:RateSpike:Factor must be between 1 and 1000000, not 0.5.",
                "Delegation:Anomaly:RateSpike:MinRequests must be between 1 and 100000000, not 0.",
                "Delegation:Anomaly:NovelResources:Warmup must be at least 0 and shorter than Delegation:Anomaly:IdleAfter (00:00:01), not 02:00:00.",
                "Delegation:Anomaly:NovelResources:MaxNew must be between 1 and 1000000, not -1.",
            ],
            failures);
    }

    [Fact]
    public async Task A_silo_with_bad_anomaly_settings_refuses_to_start_and_says_everything_wrong()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestSilo.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Delegation:Anomaly:DenyRatio:Ratio"] = "0",
            ["Delegation:Anomaly:DenyRatio:Reasons:0"] = "suspended",
            ["Delegation:Anomaly:RateSpike:Factor"] = "0",
        }));

        Assert.Equal(
            [
                "Delegation:Anomaly:DenyRatio:Ratio must be above 0 and at most 1, not 0.",
                "Delegation:Anomaly:DenyRatio:Reasons: 'suspended' is not a deny reason an agent causes; use scope_mismatch, budget_exhausted, rate_limited, approval_required.",
                "Delegation:Anomaly:RateSpike:Factor must be between 1 and 1000000, not 0.",
            ],
            refused.Failures);
    }

    [Fact]
    public async Task Reasons_from_configuration_replace_the_default_ones_and_the_thresholds_are_read()
    {
        await using var silo = await TestSilo.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Delegation:Anomaly:DenyRatio:Reasons:0"] = "approval_required",
            ["Delegation:Anomaly:DenyRatio:Window"] = "00:01:00",
            ["Delegation:Anomaly:RateSpike:Factor"] = "4",
            ["Delegation:Anomaly:NovelResources:Enabled"] = "false",
        });

        var options = silo.Services.GetRequiredService<IOptions<AnomalyOptions>>().Value;

        Assert.Equal(["approval_required"], options.DenyRatio.CountedReasons);
        Assert.Equal(TimeSpan.FromMinutes(1), options.DenyRatio.Window);
        Assert.Equal(4, options.RateSpike.Factor);
        Assert.False(options.NovelResources.Enabled);
        Assert.Equal(DenyRatioRule.DefaultReasons, new AnomalyOptions().DenyRatio.CountedReasons);
    }
}
