using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Delegation.Api;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;

namespace Delegation.Silo.Api;

/// <summary>
/// Gives Kestrel's own rejections a problem+json body with a stable code. Kestrel refuses a request it cannot parse
/// (a <c>%00</c> in the path, an oversized header or target, a malformed request line, header or framing) before any
/// middleware runs, with an empty body, and has no hook to change that. So a connection middleware watches what
/// Kestrel sends: a flush that is exactly such a rejection (an error status, <c>Content-Length: 0</c>,
/// <c>Connection: close</c>, nothing after the head) goes out with a problem body instead. Our own errors always
/// carry a body, so nothing the API answers matches.
/// </summary>
public static class KestrelRejections
{
    private const int MaxHeadLength = 1024;

    /// <summary>Adds the rewriting to every connection of an endpoint.</summary>
    /// <param name="listen">The endpoint.</param>
    public static void Use(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            connection.Transport = new RewritingTransport(connection.Transport);
            return next(connection);
        });
    }

    /// <summary>The problem a Kestrel rejection with <paramref name="status"/> stands for.</summary>
    /// <param name="status">The status Kestrel answered.</param>
    /// <returns>The problem, with its stable code.</returns>
    public static ProblemResponse ProblemOf(int status) => status switch
    {
        StatusCodes.Status408RequestTimeout => Problem(status, ErrorCodes.RequestTimeout, "The request's headers did not arrive in time."),
        StatusCodes.Status413PayloadTooLarge => Problem(status, ErrorCodes.PayloadTooLarge, "The request body is too large."),
        StatusCodes.Status414RequestUriTooLong => Problem(status, ErrorCodes.UriTooLong, "The request target (path and query) is too long."),
        StatusCodes.Status431RequestHeaderFieldsTooLarge => Problem(status, ErrorCodes.RequestHeadersTooLarge, "The request's headers are too large or too many."),
        _ => Problem(status, ErrorCodes.MalformedRequest,
            "The request could not be parsed: a malformed request line, target (such as %00 or an invalid escape in the path), header, Host or body framing."),
    };

    /// <summary>
    /// Whether <paramref name="flushed"/> is exactly a bodyless rejection written by Kestrel, and if so the same
    /// response with a problem+json body.
    /// </summary>
    /// <param name="flushed">What Kestrel flushed to the socket in one go.</param>
    /// <param name="rewritten">The response to send instead.</param>
    /// <returns>Whether it was rewritten.</returns>
    public static bool TryRewrite(ReadOnlySpan<byte> flushed, out byte[] rewritten)
    {
        rewritten = [];
        if (flushed.Length > MaxHeadLength || !flushed.StartsWith("HTTP/1."u8) || !flushed.EndsWith("\r\n\r\n"u8)
            || flushed.IndexOf("\r\n\r\n"u8) != flushed.Length - 4 || flushed.Length < 13
            || !int.TryParse(flushed.Slice(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 400)
        {
            return false;
        }

        var head = Encoding.ASCII.GetString(flushed[..^2]);
        const string empty = "\r\nContent-Length: 0\r\n";
        if (!head.Contains(empty, StringComparison.OrdinalIgnoreCase) || !head.Contains("\r\nConnection: close\r\n", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(ProblemOf(status), DelegationJsonContext.Default.ProblemResponse);
        var at = head.IndexOf(empty, StringComparison.OrdinalIgnoreCase);
        var headers = string.Create(
            CultureInfo.InvariantCulture,
            $"{head[..at]}\r\nContent-Type: application/problem+json\r\nContent-Length: {body.Length}\r\n{head[(at + empty.Length)..]}\r\n");
        rewritten = [.. Encoding.ASCII.GetBytes(headers), .. body];
        return true;
    }

    private static ProblemResponse Problem(int status, string code, string detail) =>
        new("https://delegation.dev/problems/" + code, ReasonPhrases.GetReasonPhrase(status), status, detail, code);

    private sealed class RewritingTransport(IDuplexPipe transport) : IDuplexPipe
    {
        public PipeReader Input { get; } = transport.Input;

        public PipeWriter Output { get; } = new RejectionRewritingWriter(transport.Output);
    }
}
