using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Delegation.Tests.Infrastructure;

/// <summary>
/// Free loopback ports for a test silo's Orleans endpoints: silos run in parallel here, and the defaults
/// (11111 and 30000) would collide.
/// </summary>
public static class OrleansTestPorts
{
    /// <summary>The settings that put a silo's Orleans endpoints on two free ports, as configuration keys (<c>:</c>) or environment variables (<c>__</c>).</summary>
    public static IReadOnlyDictionary<string, string> Settings(string separator = ":")
    {
        using var silo = new TcpListener(IPAddress.Loopback, 0);
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        silo.Start();
        gateway.Start();
        return new Dictionary<string, string>
        {
            [$"Delegation{separator}Orleans{separator}SiloPort"] = ((IPEndPoint)silo.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture),
            [$"Delegation{separator}Orleans{separator}GatewayPort"] = ((IPEndPoint)gateway.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture),
        };
    }
}
