using System.Text;
using System.Text.Json;
using Delegation.Api;
using Delegation.Tests.Cli;

namespace Delegation.Tests.Hardening;

/// <summary>
/// Requests Kestrel refuses before any middleware runs still get a problem+json body with a stable code, on the real
/// silo process (the server as deployed, listening where --urls says).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class KestrelRejectionTests(SiloProcess silo)
{
    private static readonly string[] Codes =
        [ErrorCodes.MalformedRequest, ErrorCodes.UriTooLong, ErrorCodes.RequestHeadersTooLarge, ErrorCodes.RequestTimeout, ErrorCodes.PayloadTooLarge];

    public static TheoryData<string, int, string> Cases => new()
    {
        { "nul_in_path", 400, "GET /v1/grants/%00 HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "nul_in_path_segment", 400, "POST /v1/agents/a%00b/revoke HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n" },
        { "oversized_header", 431, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n" },
        { "too_many_headers", 431, "GET /healthz HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-{i}: a\r\n")) + "\r\n" },
        { "oversized_target", 414, "GET /" + new string('a', 10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "no_host", 400, "GET /healthz HTTP/1.1\r\n\r\n" },
        { "garbage_request_line", 400, "GARBAGE\r\n\r\n" },
        { "space_in_header_name", 400, "GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n" },
        { "two_content_lengths", 400, "POST /v1/grants HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde" },
        { "unknown_transfer_encoding", 400, "POST /v1/grants HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" },
        { "content_length_not_a_number", 400, "POST /v1/grants HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n" },
        { "unknown_http_version", 505, "GET /healthz HTTP/2.5\r\nHost: x\r\n\r\n" },
        { "nul_in_header_value", 400, "GET /healthz HTTP/1.1\r\nHost: x\r\nX: a\0b\r\n\r\n" },
        { "asterisk_target_for_get", 405, "GET * HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "connect", 400, "CONNECT x:1 HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "absolute_form_with_another_host", 400, "GET http://x/healthz HTTP/1.1\r\nHost: y\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_request_the_server_cannot_parse_gets_a_problem_with_a_stable_code(string name, int status, string request)
    {
        var (answered, head, body) = await RawHttp.SendAsync(new Uri(silo.Url), Encoding.Latin1.GetBytes(request));

        Assert.True(status == answered, $"{name}: expected {status}, got {answered}: {head}");
        Assert.Contains("Content-Type: application/problem+json", head, StringComparison.OrdinalIgnoreCase);
        var problem = JsonSerializer.Deserialize(body, DelegationJsonContext.Default.ProblemResponse);
        Assert.NotNull(problem);
        Assert.Equal(status, problem.Status);
        Assert.Contains(problem.Code, Codes);
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
    }

    [Fact]
    public async Task Answers_with_a_body_pass_through_unchanged()
    {
        var request = Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        var (status, head, _) = await RawHttp.SendAsync(new Uri(silo.Url), request);

        Assert.Equal(200, status);
        Assert.DoesNotContain("problem+json", head, StringComparison.Ordinal);
    }
}
