using Delegation.Client;

namespace Delegation.LoadTest.Hosting;

/// <summary>Starts enforcers (near-cache clients) against a silo and waits for their feed.</summary>
public static class Enforcers
{
    /// <summary>Starts an enforcer named <paramref name="name"/> and waits (bounded) until its feed is connected.</summary>
    public static async Task<Enforcer> StartAsync(SiloTarget target, string name, CancellationToken cancellationToken, bool reportDecisions = false)
    {
        ArgumentNullException.ThrowIfNull(target);
        var enforcer = new Enforcer(new EnforcerOptions
        {
            SiloUrls = [target.BaseAddress],
            Credential = target.EnforcerKey,
            Name = name,
            ReportDecisions = reportDecisions,
        });
        await enforcer.StartAsync(cancellationToken).ConfigureAwait(false);
        await enforcer.WaitForFeedAsync(0, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return enforcer;
    }

    /// <summary>
    /// Starts an enforcer named <paramref name="name"/> on the Orleans transport, through <paramref name="client"/>
    /// (a client joined to the silo's gateway), and waits (bounded) until its feed is connected.
    /// </summary>
    public static async Task<Enforcer> StartOrleansAsync(OrleansClientHost client, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var options = new EnforcerOptions { Name = name };
        var enforcer = new Enforcer(options, new OrleansEnforcerTransport(client.Client, options.RequestTimeout));
        await enforcer.StartAsync(cancellationToken).ConfigureAwait(false);
        await enforcer.WaitForFeedAsync(0, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return enforcer;
    }

    /// <summary>Waits for a check's pending decision on a worker thread (a cache hit never waits).</summary>
    public static EnforcerDecision Wait(ValueTask<EnforcerDecision> pending) =>
        pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
}
