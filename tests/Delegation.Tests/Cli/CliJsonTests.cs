using System.Text.Json;
using static Delegation.Tests.Cli.CliGrants;

namespace Delegation.Tests.Cli;

/// <summary><c>--json</c> prints exactly one JSON document on standard output, for every command.</summary>
[Collection(CliCollection.Name)]
public sealed class CliJsonTests(SiloProcess silo)
{
    private readonly CliRunner _cli = new(silo);

    [Fact]
    public async Task Every_command_with_json_prints_one_parsable_document()
    {
        var user = Unique("jo");
        var agent = Unique("bot");
        var granted = await Json(0, "grant", user, agent, "docs:*", "--budget", "9", "--ttl", "1h", "--max-depth", "3", "--purpose", "json test");
        var rootId = granted.GetProperty("grant").GetProperty("id").GetString()!;
        Assert.StartsWith("dgt_", granted.GetProperty("token").GetString());
        Assert.Equal(3, granted.GetProperty("grant").GetProperty("maxDepth").GetInt32());

        var parentExpiry = granted.GetProperty("grant").GetProperty("expiresAt").GetString()!;
        var delegated = await Json(0, "delegate", rootId, Unique("sub"), "docs:read", "--budget", "2", "--expires-at", parentExpiry);
        Assert.Equal(JsonValueKind.Object, delegated.GetProperty("grant").ValueKind);
        var childId = delegated.GetProperty("grant").GetProperty("id").GetString()!;

        Assert.Equal(rootId, (await Json(0, "show", rootId)).GetProperty("id").GetString());
        Assert.Equal(2, (await Json(0, "tree", rootId)).GetProperty("grants").GetArrayLength());
        Assert.Equal("allow", (await Json(0, "check", childId, "docs:read")).GetProperty("decision").GetString());
        Assert.Equal("deny", (await Json(1, "check", childId, "docs:write")).GetProperty("decision").GetString());
        Assert.Equal(2, (await Json(0, "suspend", rootId)).GetProperty("affected").GetInt32());
        Assert.Equal(2, (await Json(0, "resume", rootId)).GetProperty("affected").GetInt32());
        Assert.True((await Json(0, "enforcers")).GetProperty("head").GetInt64() > 0);
        Assert.Equal(2, (await Json(0, "revoke-agent", agent)).GetProperty("affected").GetInt32());
        Assert.Equal(0, (await Json(0, "revoke-user", user)).GetProperty("affected").GetInt32());
        Assert.Equal(0, (await Json(0, "revoke", rootId)).GetProperty("affected").GetInt32());
    }

    private async Task<JsonElement> Json(int exitCode, params string[] args)
    {
        var result = (await _cli.RunAsync([.. args, "--json"])).ExpectExit(exitCode);
        Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return result.Json();
    }
}
