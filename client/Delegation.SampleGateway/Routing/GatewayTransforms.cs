using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Delegation.SampleGateway.Routing;

/// <summary>What the gateway changes in every request it forwards, per route.</summary>
public static class GatewayTransforms
{
    /// <summary>
    /// Drops the headers a <c>Connection</c> header lists (<see cref="ConnectionListedHeaders"/>), and the agent's
    /// <c>Authorization</c> header unless the route says <c>Delegation.ForwardAuthorization</c>: the grant token is for
    /// the gateway, and an upstream that never sees it cannot leak or replay it.
    /// </summary>
    public static void Apply(TransformBuilderContext transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        transforms.AddRequestTransform(ConnectionListedHeaders.RemoveAsync);
        if (!DelegationRouteMetadata.ForwardsAuthorization(transforms.Route))
        {
            transforms.AddRequestHeaderRemove(HeaderNames.Authorization);
        }
    }
}
