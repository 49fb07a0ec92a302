using System.Text.Json;
using Delegation.Client;
using Delegation.Client.AspNetCore;
using Delegation.Grants;
using Delegation.SampleMcpServer;
using Delegation.SampleMcpServer.Configuration;
using Delegation.SampleMcpServer.Grants;
using Delegation.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Delegation.Tests.SampleMcpServer;

/// <summary>What a tool declares it asks of a grant, and the server's settings: refused at start when they cannot work.</summary>
public sealed class SampleMcpServerConfigurationTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{"documentId":{"type":"string"},"page":{"type":"integer"},"amountCents":{"type":"integer"},"ratio":{"type":"number"}}}
        """).RootElement.Clone();

    [Fact]
    public void A_tool_without_a_declaration_is_refused()
    {
        Assert.Null(ToolRequirement.Compile("read_document", null, Schema, out var problems));
        Assert.Contains("has no [ToolGrant]", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_declaration_is_reported_at_once()
    {
        var grant = new ToolGrantAttribute { Resource = "documents/{missing}/{ratio}", Cost = -1, CostArgument = "ratio" };

        Assert.Null(ToolRequirement.Compile("read_document", grant, Schema, out var problems));

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains("'{missing}'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'{ratio}'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Cost must be 0 or more", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("CostArgument 'ratio'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_declaration_resolves_a_calls_resource_and_cost_from_its_arguments()
    {
        var requirement = ToolRequirement.Compile(
            "read_document", new ToolGrantAttribute { Resource = "documents/{documentId}/pages/{page}", Cost = 2, CostArgument = "amountCents" }, Schema, out _)!;

        var problem = requirement.Resolve(JsonDocument.Parse("""{"documentId":"handbook","page":3,"amountCents":40}""").RootElement, out var resource, out var cost);

        Assert.Null(problem);
        Assert.Equal("tools:read_document", requirement.Action);
        Assert.Equal("documents/handbook/pages/3", resource);
        Assert.Equal(42, cost);
    }

    [Fact]
    public void A_cost_that_would_overflow_is_refused()
    {
        var requirement = ToolRequirement.Compile("pay", new ToolGrantAttribute { Cost = 1, CostArgument = "amountCents" }, Schema, out _)!;

        Assert.NotNull(requirement.Resolve(JsonDocument.Parse($$"""{"amountCents":{{long.MaxValue}}}""").RootElement, out _, out _));
    }

    [Fact]
    public void The_tool_call_guard_passes_only_a_call_allowed_for_that_very_tool()
    {
        var allowed = new EnforcerDecision(Decision.Allow, DenyReason.None, "g_x", null, FromCache: true);
        var checkedRead = new DefaultHttpContext();
        checkedRead.Features.Set(new AgentDecisionFeature(allowed, "tools:read_document", "documents/handbook", 0));

        Assert.True(ToolCallGuard.WasChecked(checkedRead, "read_document"));
        Assert.False(ToolCallGuard.WasChecked(checkedRead, "send_payment"));
        Assert.False(ToolCallGuard.WasChecked(new DefaultHttpContext(), "read_document"));
        Assert.False(ToolCallGuard.WasChecked(null, "read_document"));
    }

    [Fact]
    public void Settings_that_cannot_work_are_refused_with_every_problem_listed()
    {
        using var contentRoot = new TempDirectory("mcp-config");
        var settings = new Dictionary<string, string?>
        {
            ["McpServer:ResourceUri"] = "http://localhost:5086",
            ["McpServer:EnforcerKey"] = "",
            ["McpServer:SiloUrl"] = "ftp://silo",
            ["McpServer:BuiltInPaymentsUrl"] = "http://payments.example.com:5092",
        };

        var refused = Assert.Throws<McpServerConfigurationException>(() => McpServerHost.Create(SampleMcpServerFixture.Builder(settings, contentRoot.Path)));

        foreach (var expected in new[] { "McpServer:ResourceUri", "McpServer:EnforcerKey", "McpServer:SiloUrl", "McpServer:BuiltInPaymentsUrl" })
        {
            Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        }
    }
}
