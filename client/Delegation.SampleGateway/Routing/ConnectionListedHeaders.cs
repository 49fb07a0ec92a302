using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;

namespace Delegation.SampleGateway.Routing;

/// <summary>
/// Removes the headers a client names in its <c>Connection</c> header: they are hop-by-hop (RFC 9110, 7.6.1) and meant
/// for the gateway only. YARP drops the fixed hop-by-hop headers (Connection, Keep-Alive, TE, Upgrade,
/// Proxy-Authorization, ...) itself but forwards the ones a <c>Connection</c> header lists.
/// </summary>
public static class ConnectionListedHeaders
{
    /// <summary>Removes them from the outgoing request, headers the proxy sets itself (Host, Forwarded, X-Forwarded-*) excepted.</summary>
    public static ValueTask RemoveAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var value in context.HttpContext.Request.Headers.Connection)
        {
            foreach (var segment in new StringTokenizer(value ?? string.Empty, [',']))
            {
                var name = segment.Trim().Value;
                if (!string.IsNullOrEmpty(name) && !IsSetByTheProxy(name))
                {
                    context.ProxyRequest.Headers.Remove(name);
                    context.ProxyRequest.Content?.Headers.Remove(name);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private static bool IsSetByTheProxy(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase);
}
