using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Delegation.Silo.Hosting;

/// <summary>
/// Checks, before the silo generates or writes anything, that every port it will listen on is free: the HTTP
/// addresses (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>http_ports</c>, or the default) and Orleans' silo and gateway
/// ports. A taken one is reported as one line naming it and the setting that chooses it, instead of a stack trace
/// after a new admin key was already printed.
/// </summary>
public static class PortPreflight
{
    /// <summary>The line that says which configured port is taken; null when all are free (or cannot be checked).</summary>
    /// <param name="configuration">The silo's configuration.</param>
    /// <returns>The one-line reason the silo cannot start, or null.</returns>
    public static string? FindTaken(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (url, endpoints) in HttpEndpoints(configuration))
        {
            if (endpoints.Any(IsTaken))
            {
                return $"The silo cannot start: {url} is already in use (another silo or program listens there). Stop it, or choose another address with --urls.";
            }
        }

        foreach (var (setting, fallback) in new[] { ("SiloPort", 11111), ("GatewayPort", 30000) })
        {
            var key = $"{OrleansOptions.Section}:{setting}";
            var port = configuration.GetValue(key, fallback);
            if (port > 0 && IsTaken(new IPEndPoint(IPAddress.Any, port)))
            {
                return $"The silo cannot start: Orleans port {port.ToString(CultureInfo.InvariantCulture)} ({key}) is already in use (another silo or program listens there). Stop it, or set {key} to a free port.";
            }
        }

        return null;
    }

    private static IEnumerable<(string Url, IReadOnlyList<IPEndPoint> Endpoints)> HttpEndpoints(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var ports = configuration["http_ports"] ?? configuration["ASPNETCORE_HTTP_PORTS"];
            urls = string.IsNullOrWhiteSpace(ports)
                ? SiloBuilderExtensions.DefaultUrl
                : string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TryParse(url, out var host, out var port) && port > 0)
            {
                yield return (url, Addresses(host).Select(a => new IPEndPoint(a, port)).ToList());
            }
        }
    }

    // Kestrel's reading of a URL's host: localhost is both loopbacks, an IP is itself, anything else is every address.
    private static IEnumerable<IPAddress> Addresses(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
        : IPAddress.TryParse(host.Trim('[', ']'), out var address) ? [address]
        : [IPAddress.Any];

    private static bool TryParse(string url, out string host, out int port)
    {
        host = string.Empty;
        port = 0;
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authority = scheme < 0 ? url : url[(scheme + 3)..];
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        authority = slash < 0 ? authority : authority[..slash];
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || authority.EndsWith(']'))
        {
            return false;
        }

        host = authority[..colon];
        return int.TryParse(authority[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }

    private static bool IsTaken(IPEndPoint endpoint)
    {
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6)
        {
            return false;
        }

        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (!OperatingSystem.IsWindows())
        {
            // As Kestrel and Orleans bind: a port in TIME_WAIT is free, a port someone listens on is not.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        try
        {
            socket.Bind(endpoint);
            socket.Listen();
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
        catch (SocketException)
        {
            // Not ours to judge here (no IPv6 loopback, a privileged port): the server reports it when it binds.
            return false;
        }
    }
}
