using Microsoft.Extensions.Hosting;

namespace Delegation.Client.AspNetCore;

/// <summary>Connects the enforcer to the feed when the gateway starts, so it is live (and counted by revoke?wait) before the first request.</summary>
internal sealed class EnforcerStarter(Enforcer enforcer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => enforcer.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
