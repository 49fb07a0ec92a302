using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.Silo.OAuth;

/// <summary>The JWKS (RFC 7517) of the key ring's published keys: one writer for the HTTP endpoint and the Orleans answer.</summary>
public static class JwksDocument
{
    /// <summary>Writes <c>{"keys":[...]}</c> with the previous, current and next period's public keys.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="ring">The key ring.</param>
    public static void Write(Utf8JsonWriter writer, SigningKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(ring);
        writer.WriteStartObject();
        writer.WriteStartArray("keys");
        foreach (var key in ring.Published)
        {
            var jwk = key.PublicJwk;
            writer.WriteStartObject();
            writer.WriteString("kty", jwk.Kty);
            writer.WriteString("crv", jwk.Crv);
            writer.WriteString("x", jwk.X);
            writer.WriteString("y", jwk.Y);
            writer.WriteString("kid", jwk.Kid);
            writer.WriteString("use", "sig");
            writer.WriteString("alg", SecurityAlgorithms.EcdsaSha256);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>The document as text.</summary>
    /// <param name="ring">The key ring.</param>
    /// <returns>The JWKS JSON.</returns>
    public static string ToJson(SigningKeyRing ring)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, ring);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
