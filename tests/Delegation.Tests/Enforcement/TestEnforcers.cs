using Delegation.Client;

namespace Delegation.Tests.Enforcement;

/// <summary>Enforcers pointed at test silos with the enforcer key.</summary>
internal static class TestEnforcers
{
    /// <summary>A staleness bound no test run comes near, for tests that assert what the cache itself decided.</summary>
    public static readonly TimeSpan Patient = TimeSpan.FromMinutes(10);

    public static Enforcer Create(
        TestSilo silo,
        string name,
        TimeProvider? time = null,
        Action<EnforcerOptions>? configure = null,
        HttpMessageHandler? handler = null) =>
        Create([silo.Url], name, time, configure, handler);

    public static Enforcer Create(
        Uri[] silos,
        string name,
        TimeProvider? time = null,
        Action<EnforcerOptions>? configure = null,
        HttpMessageHandler? handler = null)
    {
        var options = new EnforcerOptions { SiloUrls = silos, Credential = TestSilo.EnforcerKey, Name = name };
        configure?.Invoke(options);
        return new Enforcer(options, time, logger: null, handler);
    }

    /// <summary>Started and connected to the feed.</summary>
    public static async Task<Enforcer> ConnectedAsync(
        TestSilo silo,
        string name,
        TimeProvider? time = null,
        Action<EnforcerOptions>? configure = null,
        HttpMessageHandler? handler = null)
    {
        var enforcer = Create(silo, name, time, configure, handler);
        await enforcer.WaitForFeedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return enforcer;
    }
}
