using System.Text;

namespace Delegation.Tests.Fuzz;

/// <summary>
/// One generated request: <see cref="Path"/> and <see cref="Body"/> may hold the fixture's placeholders
/// (<c>{root}</c>, <c>{rootToken}</c>, ...); <see cref="Credential"/> names who sends it (as in BadRequest).
/// </summary>
public sealed record FuzzRequest(string Method, string Path, string Credential, byte[]? Body, string? ContentType)
{
    /// <summary>What the request was, readable in a failure report (bytes that are not UTF-8 shown as such).</summary>
    public override string ToString()
    {
        var body = Body is null ? "no body" : Encoding.UTF8.GetString(Body);
        if (body.Length > 300)
        {
            body = body[..300] + $"... ({Body!.Length} bytes)";
        }

        return $"{Method} {Path} as {Credential} [{ContentType ?? "no content type"}] {body}";
    }
}
