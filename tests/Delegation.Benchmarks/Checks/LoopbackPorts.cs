using System.Net;
using System.Net.Sockets;

namespace Delegation.Benchmarks.Checks;

/// <summary>Free TCP ports on 127.0.0.1, for the Orleans silo and gateway endpoints of an in-process silo.</summary>
internal static class LoopbackPorts
{
    /// <summary>
    /// Two distinct ports the system reported free just now: each found by listening on port 0, both listeners held
    /// until both are known (so the two differ), then released for the silo to take.
    /// </summary>
    public static (int Silo, int Gateway) TakeTwo()
    {
        using var silo = new TcpListener(IPAddress.Loopback, 0);
        using var gateway = new TcpListener(IPAddress.Loopback, 0);
        silo.Start();
        gateway.Start();
        return (((IPEndPoint)silo.LocalEndpoint).Port, ((IPEndPoint)gateway.LocalEndpoint).Port);
    }
}
