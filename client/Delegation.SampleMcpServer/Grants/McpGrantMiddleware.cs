using System.Text.Json;
using Delegation.Client.AspNetCore;

namespace Delegation.SampleMcpServer.Grants;

/// <summary>
/// Checks every request to the MCP endpoint against the agent's grant at the HTTP layer, before the MCP SDK reads it,
/// so that a deny is an HTTP answer an OAuth client understands (the MCP authorization specification): 401 with
/// <c>WWW-Authenticate: Bearer resource_metadata="..."</c> without a valid token, 403 <c>insufficient_scope</c> naming
/// the scope a tool call needs. A <c>tools/call</c> is checked for <c>tools:&lt;name&gt;</c> on the resource and at
/// the cost its arguments give (<see cref="ToolRequirement"/>), and the cost is spent; any other request (initialize,
/// tools/list, ping, notifications) needs only a valid token of a grant in force. The SDK's Streamable HTTP transport
/// takes one JSON-RPC message per POST (a batch is refused), which is what makes one check per request complete; a
/// JSON array is refused here too, and <see cref="ToolCallGuard"/> stops any tool call this middleware did not check.
/// </summary>
public sealed class McpGrantMiddleware(RequestDelegate next, AgentAuthorizer authorizer, ToolRequirements tools)
{
    /// <summary>The largest JSON-RPC message read (1 MiB); a larger body is refused with 413.</summary>
    public const int MaxMessageBytes = 1 << 20;

    // A message that names a property twice would be read one way here and perhaps another way by the SDK (which
    // call, which arguments): it is refused, so that what is checked is what runs.
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Checks the request, then calls the MCP endpoint only when allowed.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<McpEndpointGrantMetadata>() is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            if (await authorizer.AuthenticateAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }

            return;
        }

        if (context.Request.ContentLength > MaxMessageBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        if (await ReadAsync(context).ConfigureAwait(false) is not { } body)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        using var message = Parse(body);
        if (message is null)
        {
            if (await authorizer.AuthenticateAsync(context).ConfigureAwait(false))
            {
                await JsonRpcErrors.WriteAsync(context, default, -32600, "A JSON-RPC message must not repeat a property.").ConfigureAwait(false);
            }

            return;
        }

        if (await CheckAsync(context, message.RootElement).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    private async Task<bool> CheckAsync(HttpContext context, JsonElement message)
    {
        if (!IsToolCall(message, out var name, out var arguments))
        {
            if (!await authorizer.AuthenticateAsync(context).ConfigureAwait(false))
            {
                return false;
            }

            if (message.ValueKind == JsonValueKind.Array)
            {
                await JsonRpcErrors.WriteAsync(context, default, -32600, "JSON-RPC batches are not accepted: send one message per request.").ConfigureAwait(false);
                return false;
            }

            // Not a tool call (or not JSON at all): the SDK answers it, and refuses what it cannot read.
            return true;
        }

        if (!tools.TryGet(name, out var requirement))
        {
            // The SDK answers an unknown tool with its own error; the caller still needs a valid token to learn that.
            return await authorizer.AuthenticateAsync(context).ConfigureAwait(false);
        }

        if (requirement.Resolve(arguments, out var resource, out var cost) is { } problem)
        {
            // Without a resource or a cost there is nothing to check: refuse the call, but only to a valid token's holder.
            if (await authorizer.AuthenticateAsync(context).ConfigureAwait(false))
            {
                await JsonRpcErrors.WriteAsync(context, Id(message), -32602, $"Invalid arguments for tool '{name}': {problem}.").ConfigureAwait(false);
            }

            return false;
        }

        return await authorizer.AuthorizeResourceAsync(context, requirement.Action, resource, cost).ConfigureAwait(false);
    }

    private static bool IsToolCall(JsonElement message, out string name, out JsonElement arguments)
    {
        name = string.Empty;
        arguments = default;
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("method", out var method) || !method.ValueEquals("tools/call")
            || !message.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object
            || !parameters.TryGetProperty("name", out var tool) || tool.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        name = tool.GetString()!;
        parameters.TryGetProperty("arguments", out arguments);
        return true;
    }

    private static JsonElement Id(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out var id) ? id : default;

    /// <summary>
    /// Reads the body and puts it back, in memory, for the SDK to read again; null when it is larger than
    /// <see cref="MaxMessageBytes"/>.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context)
    {
        var body = new MemoryStream();
        context.Response.RegisterForDisposeAsync(body);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxMessageBytes)
            {
                return null;
            }

            body.Write(buffer, 0, read);
        }

        body.Position = 0;
        context.Request.Body = body;
        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }

    /// <summary>The message; a <c>null</c> document when the body is not JSON (the SDK refuses it); null when it repeats a property.</summary>
    private static JsonDocument? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, Strict);
        }
        catch (JsonException)
        {
            try
            {
                // Valid JSON refused only by the strict reader: a repeated property.
                JsonDocument.Parse(body).Dispose();
                return null;
            }
            catch (JsonException)
            {
                return JsonDocument.Parse("null");
            }
        }
    }
}
