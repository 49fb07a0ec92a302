using Delegation.Client.AspNetCore;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Delegation.SampleMcpServer.Grants;

/// <summary>
/// The SDK's call-tool filter behind <see cref="McpGrantMiddleware"/>: a tool runs only when the HTTP request that
/// carries the call was allowed for that very tool (the middleware's decision is on the request). Whatever path a call
/// might reach a tool by that the middleware did not see (a batch, another transport) is refused, not run unchecked.
/// </summary>
public static class ToolCallGuard
{
    /// <summary>The filter, for <c>WithRequestFilters(f =&gt; f.AddCallToolFilter(ToolCallGuard.Filter))</c>.</summary>
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (request, cancellationToken) =>
        {
            var http = request.Services?.GetService<IHttpContextAccessor>()?.HttpContext;
            if (request.Params is not { } call || !WasChecked(http, call.Name))
            {
                throw new McpProtocolException("This tool call was not checked against the agent's grant.", McpErrorCode.InvalidRequest);
            }

            return await next(request, cancellationToken).ConfigureAwait(false);
        };

    /// <summary>Whether <paramref name="request"/> was allowed by the grant check for a call of <paramref name="tool"/>.</summary>
    public static bool WasChecked(HttpContext? request, string tool) =>
        request?.Features.Get<AgentDecisionFeature>() is { Decision.IsAllowed: true } decision
        && decision.Action == ToolRequirement.ActionPrefix + tool;
}
