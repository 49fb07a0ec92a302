using static Delegation.Tests.Cli.CliGrants;

namespace Delegation.Tests.Cli;

/// <summary>Failures print the problem's code and detail and exit with the code of their class.</summary>
[Collection(CliCollection.Name)]
public sealed class CliErrorTests(SiloProcess silo)
{
    private const string BadKey = "not-a-key-of-this-silo-42";
    private readonly CliRunner _cli = new(silo);

    [Fact]
    public async Task A_bad_key_exits_3_with_the_unauthorized_code_and_never_prints_the_key()
    {
        var human = (await _cli.RunAsync("show", "g_aaaaaaaaaaaaaaaa", "--key", BadKey)).ExpectExit(3);
        Assert.Contains("error unauthorized (401)", human.Stderr);

        var json = (await new CliRunner(silo) { Key = BadKey }.RunAsync("tree", "g_aaaaaaaaaaaaaaaa", "--json")).ExpectExit(3);
        Assert.Equal("unauthorized", json.ErrorJson().GetProperty("code").GetString());
        Assert.Equal(string.Empty, json.Stdout);

        foreach (var result in new[] { human, json })
        {
            Assert.DoesNotContain(BadKey, result.Stdout + result.Stderr);
        }
    }

    [Fact]
    public async Task A_key_that_may_not_do_this_exits_3_with_the_forbidden_code()
    {
        var (rootId, _) = await GrantAsync(_cli, Unique("hank"), Unique("bot"), "x:y");

        var result = (await new CliRunner(silo) { Key = SiloProcess.IssuerKey }.RunAsync("check", rootId, "x:y", "--json")).ExpectExit(3);

        Assert.Equal("forbidden", result.ErrorJson().GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_grant_exits_4_with_the_not_found_code()
    {
        var human = (await _cli.RunAsync("show", "g_zzzzzzzzzzzzzzzz")).ExpectExit(4);
        Assert.Contains("error not_found (404)", human.Stderr);
        Assert.Contains("g_zzzzzzzzzzzzzzzz", human.Stderr);

        var json = (await _cli.RunAsync("revoke", "g_zzzzzzzzzzzzzzzz", "--json")).ExpectExit(4);
        Assert.Equal(404, json.ErrorJson().GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_delegation_wider_than_its_parent_exits_5_with_the_attenuation_code()
    {
        var (rootId, _) = await GrantAsync(_cli, Unique("ivy"), Unique("bot"), "tickets:read", "--budget", "5");

        var scope = (await _cli.RunAsync("delegate", rootId, Unique("sub"), "tickets:write", "--budget", "1", "--ttl", "1m")).ExpectExit(5);
        var budget = (await _cli.RunAsync("delegate", rootId, Unique("sub"), "tickets:read", "--budget", "6", "--ttl", "1m", "--json")).ExpectExit(5);

        Assert.Contains("error scope_not_covered (422)", scope.Stderr);
        Assert.Equal("budget_exceeds_parent", budget.ErrorJson().GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_silo_that_does_not_answer_exits_6_with_authority_unavailable()
    {
        var nowhere = $"http://127.0.0.1:{SiloProcess.FreePort()}";

        var result = (await _cli.RunAsync("show", "g_aaaaaaaaaaaaaaaa", "--url", nowhere, "--json")).ExpectExit(6);

        Assert.Equal("authority_unavailable", result.ErrorJson().GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("grant", "u", "a", "x:y", "--ttl", "1h", "--expires-at", "2030-01-01T00:00:00Z")]
    [InlineData("grant", "u", "a", "x:y")]
    [InlineData("grant", "u", "a", "x:y", "--ttl", "soon")]
    [InlineData("revoke", "g_aaaaaaaaaaaaaaaa", "--timeout", "5s")]
    [InlineData("no-such-command")]
    [InlineData()]
    public async Task A_command_line_that_does_not_parse_exits_2(params string[] args)
    {
        var result = (await _cli.RunAsync(args)).ExpectExit(2);

        Assert.Contains("error usage", result.Stderr);
    }

    [Fact]
    public async Task No_credential_exits_2_and_says_how_to_give_one()
    {
        var result = (await new CliRunner(silo) { Key = null }.RunAsync("show", "g_aaaaaaaaaaaaaaaa", "--json")).ExpectExit(2);

        Assert.Contains("DELEGATION_KEY", result.ErrorJson().GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Help_never_shows_the_key_from_the_environment()
    {
        var result = (await _cli.RunAsync("grant", "--help")).ExpectExit(0);

        Assert.Contains("--key", result.Stdout);
        Assert.DoesNotContain(SiloProcess.AdminKey, result.Stdout + result.Stderr);
    }
}
