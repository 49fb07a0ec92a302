using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Observability;

/// <summary>
/// Raw HTTP calls that make a silo exercise every instrument: grants, allowed and denied checks with a cost (a budget
/// lease, so a store append), a revocation waited for, a live enforcer on the feed. Raw, not the typed client, so these
/// tests state the wire they rely on.
/// </summary>
internal static class SiloTraffic
{
    /// <summary>Creates a root grant with a budget; returns its id and token.</summary>
    public static async Task<(string GrantId, string Token)> CreateGrantAsync(HttpClient http, long budget = 1000)
    {
        var body = new { user = Unique("user"), agent = Unique("agent"), scope = new[] { "tickets:*" }, budget, ttlSeconds = 3600 };
        using var response = await SendAsync(http, HttpMethod.Post, "/v1/grants", TestKeys.Issuer, body);
        var json = await ReadAsync(response, 201);
        return (json.GetProperty("grant").GetProperty("id").GetString()!, json.GetProperty("token").GetString()!);
    }

    /// <summary>A check of <paramref name="action"/> at a cost of one unit, by token; returns the decision.</summary>
    public static async Task<string> CheckAsync(HttpClient http, string token, string action = "tickets:read")
    {
        using var response = await SendAsync(http, HttpMethod.Post, "/v1/check", TestKeys.Enforcer, new { token, action, cost = 1 });
        return (await ReadAsync(response, 200)).GetProperty("decision").GetString()!;
    }

    /// <summary>Revokes <paramref name="grantId"/> and waits for every live enforcer to acknowledge (bounded).</summary>
    public static async Task RevokeAndWaitAsync(HttpClient http, string grantId)
    {
        using var response = await SendAsync(http, HttpMethod.Post, $"/v1/grants/{grantId}/revoke?wait=true&timeoutMs=2000", TestKeys.Issuer, new { reason = "observability test" });
        await ReadAsync(response, 200);
    }

    /// <summary>A GET with <paramref name="credential"/> (or none).</summary>
    public static Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string? credential) =>
        SendAsync(http, HttpMethod.Get, path, credential, null);

    /// <summary>A request with a bearer credential and a JSON body.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? credential, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Reads a JSON answer, asserting its status.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, int expectedStatus)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, not {expectedStatus}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
