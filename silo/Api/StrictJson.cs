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
        var reader = new Utf8JsonReader(body.StartsWith("\uFEFF"u8) ? body[3..] : body, new JsonReaderOptions { MaxDepth = MaxDepth });
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
