using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Delegation.Grains.Errors;
using Delegation.Silo.Configuration;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Api;

/// <summary>
/// Reads JSON bodies within the size limit and turns malformed JSON into a clear 400, whatever the server
/// underneath (Kestrel enforces its own limit too; the in-process test host does not).
/// </summary>
public static class RequestBody
{
    /// <summary>Reads and deserializes the body; <paramref name="optional"/> allows an empty body (default value).</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type, bool optional = false)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<DelegationOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new PayloadTooLargeException(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return optional ? default : throw new RequestValidationException("A JSON request body is required.");
        }

        if (context.Request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestValidationException($"The body must be JSON, not '{contentType}'.");
        }

        var json = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        StrictJson.Validate(json);
        try
        {
            return JsonSerializer.Deserialize(json, type)
                ?? throw new RequestValidationException("The JSON body must be an object, not null.");
        }
        catch (JsonException ex)
        {
            throw new RequestValidationException($"The body is not valid JSON for this request: {ex.Message}");
        }
    }
}
