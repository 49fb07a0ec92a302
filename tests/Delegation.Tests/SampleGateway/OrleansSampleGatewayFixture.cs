using Delegation.Silo.Hosting;
using Delegation.Tests.Enforcement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Delegation.Tests.SampleGateway;

/// <summary>The sample gateway in Orleans mode: a client of the test silo's Orleans gateway (static clustering), no key, no silo URL.</summary>
public sealed class OrleansSampleGatewayFixture : SampleGatewayFixture
{
    /// <summary>The same routes as in HTTP mode, the enforcer on the Orleans transport.</summary>
    protected override Dictionary<string, string?> GatewaySettings(TestSilo silo, Uri upstream)
    {
        var orleans = silo.Services.GetRequiredService<IOptions<OrleansOptions>>().Value;
        var settings = Settings(silo.Url, upstream);
        settings.Remove("Gateway:SiloUrl");
        settings.Remove("Gateway:EnforcerKey");
        settings["Gateway:Mode"] = "orleans";
        settings["Gateway:Orleans:Gateways"] = $"127.0.0.1:{orleans.GatewayPort}";
        settings["Gateway:Orleans:ClusterId"] = orleans.ClusterId;
        settings["Gateway:Orleans:ServiceId"] = orleans.ServiceId;
        return settings;
    }
}
