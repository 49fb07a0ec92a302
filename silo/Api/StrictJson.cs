using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Delegation.Grains.Errors;

namespace Delegation.Silo.Api;

/// <summary>
/// What System.Text.Json lets through and the API refuses, checked over the whole body before it is bound: bytes
/// that are not UTF-8, a key given twice in one object (ignoring case, as binding does), and an escaped lone
/// surrogate, in known and unknown fields alike. Numbers given as strings are refused by the serializer itself
/// (<see cref="Delegation.Api.DelegationJsonContext"/> reads numbers strictly).
/// </summary>
public static class StrictJson
{
    private const int MaxDepth = 64;

    // Keys open at once (in the current object and those around it) that the allocation-free check keeps.
    private const int MaxPlainKeys = 32;

    /// <summary>Throws a 400 naming the first thing in <paramref name="body"/> that is not strict JSON.</summary>
    /// <param name="body">The request body.</param>
    /// <exception cref="RequestValidationException">The body is not strict JSON.</exception>
    public static void Validate(ReadOnlySpan<byte> body)
    {
        if (!Utf8.IsValid(body))
        {
            throw new RequestValidationException("The body is not valid UTF-8.");
        }

        // The serializer skips a byte order mark; so does this reader.
        var json = body.StartsWith("\uFEFF"u8) ? body[3..] : body;
        if (!IsPlainAndStrict(json))
        {
            ValidateFully(json);
        }
    }

    /// <summary>
    /// The common body (valid JSON, its keys unescaped ASCII and at most 32 open at once, no escaped string) checked
    /// without allocating: keys are compared as bytes, ASCII letters ignoring case, as the full check would compare
    /// them. False when the body is anything else, or not strict: then the full check decides and words the refusal.
    /// </summary>
    private static bool IsPlainAndStrict(ReadOnlySpan<byte> json)
    {
        Span<int> keyStarts = stackalloc int[MaxPlainKeys];
        Span<int> keyLengths = stackalloc int[MaxPlainKeys];
        Span<int> objectFirstKey = stackalloc int[MaxDepth + 1];
        var keys = 0;
        var depth = 0;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objectFirstKey[depth++] = keys;
                        break;
                    case JsonTokenType.EndObject:
                        keys = objectFirstKey[--depth];
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.ValueSpan;
                        if (reader.ValueIsEscaped || keys == MaxPlainKeys || !Ascii.IsValid(name))
                        {
                            return false;
                        }

                        var start = (int)reader.TokenStartIndex + 1;
                        for (var other = objectFirstKey[depth - 1]; other < keys; other++)
                        {
                            if (Ascii.EqualsIgnoreCase(json.Slice(keyStarts[other], keyLengths[other]), name))
                            {
                                return false;
                            }
                        }

                        keyStarts[keys] = start;
                        keyLengths[keys++] = name.Length;
                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        return false;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ValidateFully(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        if (!objects.Peek().Add(name))
                        {
                            throw new RequestValidationException($"The key '{Quoted(name)}' appears more than once in one object.");
                        }

                        break;
                    case JsonTokenType.String when reader.ValueIsEscaped:
                        _ = reader.GetString();
                        break;
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader refuses to unescape a lone surrogate into a string.
            throw new RequestValidationException("The body holds an escaped lone surrogate (\\uD800-\\uDFFF without its pair).");
        }
        catch (JsonException ex)
        {
            throw new RequestValidationException($"The body is not valid JSON for this request: {ex.Message}");
        }
    }

    private static string Quoted(string name) => name.Length > 64 ? name[..64] + "..." : name;
}
