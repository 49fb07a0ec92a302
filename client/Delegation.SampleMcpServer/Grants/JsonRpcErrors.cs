using System.Text.Json;

namespace Delegation.SampleMcpServer.Grants;

/// <summary>Writes a JSON-RPC error response for a request refused before the MCP SDK sees it.</summary>
internal static class JsonRpcErrors
{
    /// <summary>Answers 400 with <c>{"jsonrpc":"2.0","id":...,"error":{"code":...,"message":...}}</c>; the id is the request's, or null.</summary>
    public static async Task WriteAsync(HttpContext context, JsonElement id, int code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("jsonrpc", "2.0");
        json.WritePropertyName("id");
        if (id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            id.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteStartObject("error");
        json.WriteNumber("code", code);
        json.WriteString("message", message);
        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
