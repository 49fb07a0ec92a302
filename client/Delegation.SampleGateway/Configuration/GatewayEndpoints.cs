using System.Globalization;
using System.Net;

namespace Delegation.SampleGateway.Configuration;

/// <summary>Reads <c>host:port</c> gateway endpoints, resolving host names once, at start.</summary>
public static class GatewayEndpoints
{
    /// <summary>Splits <paramref name="text"/> into host and port; returns what is wrong with it, or null.</summary>
    public static string? TryParse(string text, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        host = string.Empty;
        port = 0;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            return "is not host:port";
        }

        host = text[..colon].Trim('[', ']');
        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return "has no port between 1 and 65535";
        }

        return Uri.CheckHostName(host) == UriHostNameType.Unknown ? "has no valid host" : null;
    }

    /// <summary>The endpoints of <paramref name="gateways"/> (validated), host names resolved to their first IPv4 or IPv6 address.</summary>
    public static IPEndPoint[] Resolve(IEnumerable<string> gateways) =>
    [
        .. gateways.Select(gateway =>
        {
            TryParse(gateway, out var host, out var port);
            var address = IPAddress.TryParse(host, out var ip)
                ? ip
                : Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 0 : 1).First();
            return new IPEndPoint(address, port);
        }),
    ];
}
