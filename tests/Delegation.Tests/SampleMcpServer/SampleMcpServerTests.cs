using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Delegation.Api;
using Delegation.Client.AspNetCore;
using ModelContextProtocol.Protocol;

namespace Delegation.Tests.SampleMcpServer;

/// <summary>
/// The sample MCP server behind grants, through the MCP SDK's own client over Streamable HTTP (and plain HTTP where a
/// status code or a header is the point): what a tool call needs, what it spends, and what the server says when it
/// refuses, as the MCP authorization specification asks of a resource server.
/// </summary>
public sealed class SampleMcpServerTests(SampleMcpServerFixture fixture) : IClassFixture<SampleMcpServerFixture>
{
    [Fact]
    public async Task A_call_the_grant_covers_runs_the_tool()
    {
        var token = await TokenAsync(["tools:read_document@documents/handbook"]);
        await using var client = await fixture.ConnectAsync(token);

        var result = await client.CallToolAsync("read_document", new Dictionary<string, object?> { ["documentId"] = "handbook" });

        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Employee handbook", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_the_grant_does_not_cover_is_403_insufficient_scope_naming_the_scope_it_needs()
    {
        var token = await TokenAsync(["tools:read_document@documents/handbook"]);
        await using var client = await fixture.ConnectAsync(token);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.CallToolAsync("read_document", new Dictionary<string, object?> { ["documentId"] = "payroll-2026" }).AsTask());
        using var response = await PostAsync(token, ToolCall("read_document", new { documentId = "payroll-2026" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = Challenge(response);
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"tools:read_document@documents/payroll-2026\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", challenge, StringComparison.Ordinal);
        Assert.Equal("scope_mismatch", await CodeAsync(response));
    }

    [Fact]
    public async Task A_tool_the_grant_does_not_name_is_refused_whatever_the_resource()
    {
        var token = await TokenAsync(["tools:read_document@documents/**"]);
        using var search = await PostAsync(token, ToolCall("search_documents", new { query = "printer" }));
        using var pay = await PostAsync(token, ToolCall("send_payment", new { fromAccount = "documents", toAccount = "x", amountCents = 1 }));

        Assert.Equal(HttpStatusCode.Forbidden, search.StatusCode);
        Assert.Contains("scope=\"tools:search_documents\"", Challenge(search), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, pay.StatusCode);
        Assert.Contains("scope=\"tools:send_payment@accounts/documents\"", Challenge(pay), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_every_request_is_401_naming_the_resource_metadata()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => fixture.ConnectAsync(null));
        using var list = await PostAsync(null, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        using var call = await PostAsync(null, ToolCall("read_document", new { documentId = "handbook" }));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        foreach (var response in new[] { list, call })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.StartsWith("Bearer ", Challenge(response), StringComparison.Ordinal);
            Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", Challenge(response), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_issued_for_another_audience_is_401_invalid_token()
    {
        var grant = await fixture.Silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "assistant", ["tools:*"], null, TtlSeconds: 600));
        var elsewhere = await fixture.ExchangeAsync(grant.Token, "http://127.0.0.1:1/mcp");
        var ours = await fixture.ExchangeAsync(grant.Token, fixture.Server.Resource.AbsoluteUri);

        using var refused = await PostAsync(elsewhere, ToolCall("read_document", new { documentId = "handbook" }));
        using var allowed = await PostAsync(ours, ToolCall("read_document", new { documentId = "handbook" }));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Challenge(refused), StringComparison.Ordinal);
        Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", Challenge(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_grant_token_is_401_it_names_no_audience()
    {
        var grant = await fixture.Silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "assistant", ["tools:*"], null, TtlSeconds: 600));

        using var call = await PostAsync(grant.Token, ToolCall("read_document", new { documentId = "handbook" }));
        using var list = await PostAsync(grant.Token, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");

        foreach (var response in new[] { call, list })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("error=\"invalid_token\", error_description=\"audience_required\"", Challenge(response), StringComparison.Ordinal);
            Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", Challenge(response), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_with_a_forged_signature_is_401_invalid_token()
    {
        var token = await TokenAsync(["tools:*"]);
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];
        using var response = await PostAsync(forged, ToolCall("read_document", new { documentId = "handbook" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", Challenge(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dpop_bound_token_is_accepted_only_with_a_fresh_proof_by_its_key()
    {
        using var key = new OAuth.DpopKey();
        using var other = new OAuth.DpopKey();
        var grant = await fixture.Silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "assistant", ["tools:read_document@documents/**"], null, TtlSeconds: 600));
        var token = await fixture.ExchangeAsync(grant.Token, fixture.Server.Resource.AbsoluteUri, key);
        var url = fixture.Server.Resource.AbsoluteUri;
        var proof = key.Proof("POST", url, token);
        var call = ToolCall("read_document", new { documentId = "handbook" });

        using var allowed = await PostAsync(token, call, "DPoP", proof);
        using var replayed = await PostAsync(token, call, "DPoP", proof);
        using var asBearer = await PostAsync(token, call);
        using var otherKey = await PostAsync(token, call, "DPoP", other.Proof("POST", url, token));
        using var otherUrl = await PostAsync(token, call, "DPoP", key.Proof("POST", url + "/elsewhere", token));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        foreach (var denied in new[] { replayed, asBearer, otherKey, otherUrl })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.Contains($"resource_metadata=\"{MetadataUrl}\"", Challenge(denied), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tools_list_shows_every_tool_whatever_the_grant_allows()
    {
        var token = await TokenAsync(["tools:read_document@documents/handbook"]);
        await using var client = await fixture.ConnectAsync(token);

        var tools = await client.ListToolsAsync();

        Assert.Equal(["read_document", "search_documents", "send_payment"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_payment_spends_its_amount_from_the_budget_and_never_more()
    {
        var account = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var token = await TokenAsync([$"tools:send_payment@accounts/{account}"], budget: 10_000);
        await using var client = await fixture.ConnectAsync(token);

        var first = await client.CallToolAsync("send_payment", Payment(account, 2_500));
        var second = await client.CallToolAsync("send_payment", Payment(account, 7_500));
        using var over = await PostAsync(token, ToolCall("send_payment", new { fromAccount = account, toAccount = "globex", amountCents = 1 }));

        Assert.NotEqual(true, first.IsError);
        Assert.NotEqual(true, second.IsError);
        Assert.Equal(HttpStatusCode.Forbidden, over.StatusCode);
        Assert.Equal("budget_exhausted", await CodeAsync(over));
        Assert.Equal([2_500L, 7_500L], fixture.Payments.From(account).Select(p => p.Body.GetProperty("amountCents").GetInt64()));
    }

    [Fact]
    public async Task A_payment_marked_for_approval_waits_for_a_person_and_the_approved_retry_pays_once()
    {
        var account = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var token = await TokenAsync([$"!tools:send_payment@accounts/{account}"], budget: 10_000);
        var call = ToolCall("send_payment", new { fromAccount = account, toAccount = "globex", amountCents = 4_200 });

        using var waiting = await PostAsync(token, call);
        var approvalId = waiting.Headers.GetValues(AgentAuthorizer.ApprovalHeader).Single();
        var waitingCode = await CodeAsync(waiting);
        var paidBeforeApproval = fixture.Payments.From(account).Count;
        var approved = await fixture.Silo.Admin.ApproveAsync(approvalId, "invoice 7");
        using var retried = await PostAsync(token, call, approvalId: approvalId);
        using var again = await PostAsync(token, call, approvalId: approvalId);

        Assert.Equal(HttpStatusCode.Forbidden, waiting.StatusCode);
        Assert.Equal("approval_required", waitingCode);
        Assert.Equal(0, paidBeforeApproval);
        Assert.Equal(("tools:send_payment", $"accounts/{account}", 4_200L), (approved.Action, approved.Resource, approved.Cost));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("4200 cents", await retried.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal("approval_required", await CodeAsync(again));
        Assert.NotEqual(approvalId, again.Headers.GetValues(AgentAuthorizer.ApprovalHeader).Single());
        Assert.Equal([4_200L], fixture.Payments.From(account).Select(p => p.Body.GetProperty("amountCents").GetInt64()));
    }

    [Fact]
    public async Task The_payments_api_never_sees_the_agents_token()
    {
        var account = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var token = await TokenAsync([$"tools:send_payment@accounts/{account}"], budget: 1_000);
        await using var client = await fixture.ConnectAsync(token);

        await client.CallToolAsync("send_payment", Payment(account, 100));

        var (headers, body) = Assert.Single(fixture.Payments.From(account));
        Assert.False(headers.ContainsKey("Authorization"));
        Assert.DoesNotContain(headers.Values, v => v.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(token, body.GetRawText(), StringComparison.Ordinal);
        Assert.True(Delegation.Grants.GrantId.IsValid(body.GetProperty("grantId").GetString()));
    }

    [Fact]
    public async Task After_revoke_wait_returns_the_grants_calls_are_401()
    {
        var root = await fixture.Silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "assistant", ["tools:*"], null, TtlSeconds: 600));
        var child = await fixture.Silo.Admin.WithCredential(root.Token).DelegateAsync(
            root.Grant.Id, new DelegateRequest("reader", ["tools:read_document@documents/**"], TtlSeconds: 300));
        var token = await PresentedAsync(child.Token);
        await using var client = await fixture.ConnectAsync(token);
        await client.CallToolAsync("read_document", new Dictionary<string, object?> { ["documentId"] = "handbook" });

        var revoked = await fixture.Silo.Admin.RevokeGrantAndWaitAsync(root.Grant.Id, "test");
        using var call = await PostAsync(token, ToolCall("read_document", new { documentId = "handbook" }));
        using var list = await PostAsync(token, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");

        Assert.False(revoked.Propagation!.TimedOut);
        Assert.True(revoked.Propagation.Acked >= 1);
        Assert.Equal(HttpStatusCode.Unauthorized, call.StatusCode);
        Assert.Equal("ancestor_revoked", await CodeAsync(call));
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.CallToolAsync("read_document", new Dictionary<string, object?> { ["documentId"] = "handbook" }).AsTask());
    }

    [Fact]
    public async Task Arguments_that_do_not_name_one_resource_are_refused_and_spend_nothing()
    {
        var account = "acme-" + Guid.NewGuid().ToString("N")[..8];
        var token = await TokenAsync(["tools:read_document@documents/**", $"tools:send_payment@accounts/{account}/**"], budget: 100);
        var refused = new List<HttpStatusCode>();
        foreach (var arguments in new object[]
        {
            new { documentId = "handbook/../payroll-2026" },
            new { documentId = "*" },
            new { documentId = ".." },
            new { documentId = "" },
            new { documentId = 3.5 },
            new { other = "handbook" },
        })
        {
            using var response = await PostAsync(token, ToolCall("read_document", arguments));
            refused.Add(response.StatusCode);
            Assert.Equal(-32602, (await JsonAsync(response)).GetProperty("error").GetProperty("code").GetInt32());
        }

        using var negative = await PostAsync(token, ToolCall("send_payment", new { fromAccount = account, toAccount = "x", amountCents = -5 }));
        using var fraction = await PostAsync(token, ToolCall("send_payment", new { fromAccount = account, toAccount = "x", amountCents = 0.5 }));

        Assert.All(refused, status => Assert.Equal(HttpStatusCode.BadRequest, status));
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, fraction.StatusCode);
        Assert.Empty(fixture.Payments.From(account));
    }

    [Fact]
    public async Task A_message_that_repeats_a_property_is_refused_so_no_reader_can_see_another_call()
    {
        var token = await TokenAsync(["tools:read_document@documents/handbook"]);
        var repeated = new[]
        {
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_document","arguments":{"documentId":"handbook","documentId":"payroll-2026"}}}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read_document","arguments":{"documentId":"handbook"},"arguments":{"documentId":"payroll-2026"}}}""",
            """{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call","params":{"name":"read_document","arguments":{"documentId":"payroll-2026"}}}""",
        };

        foreach (var json in repeated)
        {
            using var response = await PostAsync(token, json);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain("Payroll", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_batch_is_refused()
    {
        var token = await TokenAsync(["tools:*"]);
        using var response = await PostAsync(token, "[" + ToolCall("read_document", new { documentId = "handbook" }) + "]");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_protected_resource_metadata_names_the_resource_our_authority_and_the_tools_scopes()
    {
        foreach (var path in new[] { "/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp" })
        {
            using var response = await fixture.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var document = await JsonAsync(response);

            Assert.Equal(fixture.Server.Resource.AbsoluteUri, document.GetProperty("resource").GetString());
            var issuer = Assert.Single(Strings(document, "authorization_servers"));
            Assert.Equal(fixture.Silo.Url.AbsoluteUri.TrimEnd('/'), issuer);
            Assert.Equal(["header"], Strings(document, "bearer_methods_supported"));
            Assert.Equal(["tools:read_document", "tools:search_documents", "tools:send_payment"], Strings(document, "scopes_supported"));
            Assert.Contains("ES256", Strings(document, "dpop_signing_alg_values_supported"));
        }
    }

    [Fact]
    public async Task The_authorization_server_named_in_the_metadata_serves_rfc_8414_metadata_with_that_issuer()
    {
        using var resource = await fixture.Http.GetAsync("/.well-known/oauth-protected-resource/mcp");
        var issuer = (await JsonAsync(resource)).GetProperty("authorization_servers")[0].GetString()!;

        using var metadata = await fixture.Http.GetAsync(issuer + "/.well-known/oauth-authorization-server");
        var document = await JsonAsync(metadata);

        Assert.Equal(issuer, document.GetProperty("issuer").GetString());
        Assert.Contains("urn:ietf:params:oauth:grant-type:token-exchange", Strings(document, "grant_types_supported"));
    }

    private Uri MetadataUrl => new(fixture.Server.Url, "/.well-known/oauth-protected-resource/mcp");

    private async Task<string> TokenAsync(string[] scope, long? budget = null)
    {
        var grant = await fixture.Silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", "assistant", scope, budget, TtlSeconds: 600));
        return await PresentedAsync(grant.Token);
    }

    /// <summary>The token an MCP client presents for a grant: a JWT access token for this server, by token exchange.</summary>
    private Task<string> PresentedAsync(string grantToken) => fixture.ExchangeAsync(grantToken, fixture.Server.Resource.AbsoluteUri);

    private static Dictionary<string, object?> Payment(string from, long cents) =>
        new() { ["fromAccount"] = from, ["toAccount"] = "globex", ["amountCents"] = cents, ["memo"] = "printers" };

    private static string ToolCall(string name, object arguments) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 7, method = "tools/call", @params = new { name, arguments } });

    private async Task<HttpResponseMessage> PostAsync(string? token, string json, string scheme = "Bearer", string? dpopProof = null, string? approvalId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, fixture.Server.Resource)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        }

        if (dpopProof is not null)
        {
            request.Headers.Add("DPoP", dpopProof);
        }

        if (approvalId is not null)
        {
            request.Headers.Add(AgentAuthorizer.ApprovalHeader, approvalId);
        }

        return await fixture.Http.SendAsync(request);
    }

    private static string Challenge(HttpResponseMessage response) => response.Headers.WwwAuthenticate.ToString();

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.Clone();
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await JsonAsync(response)).GetProperty("code").GetString();
    }

    private static string[] Strings(JsonElement document, string property) =>
        [.. document.GetProperty(property).EnumerateArray().Select(e => e.GetString() ?? "(null)")];
}
