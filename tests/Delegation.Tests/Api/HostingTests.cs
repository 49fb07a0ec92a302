using Delegation.Silo.Hosting;
using Delegation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Delegation.Tests.Api;

/// <summary>How the silo behaves under its hosts, WebApplicationFactory included.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task The_silo_lifecycle_can_be_stopped_again_after_it_was_stopped_and_disposed()
    {
        // WebApplicationFactory with minimal hosting stops the host while the app's own Run() stops and disposes it
        // (dotnet/aspnetcore#40271), so a hosted service sees StopAsync after Dispose.
        await using var silo = SiloFactory.With(new SiloFactoryOptions());
        var lifecycle = silo.Services.GetServices<IHostedService>().OfType<SiloLifecycle>().Single();

        await lifecycle.StopAsync(CancellationToken.None);
        lifecycle.Dispose();
        var again = lifecycle.StopAsync(CancellationToken.None);

        Assert.True(again.IsCompletedSuccessfully);
        await again;
    }
}
