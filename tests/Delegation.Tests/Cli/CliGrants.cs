namespace Delegation.Tests.Cli;

/// <summary>Test data made through the CLI itself: unique names, and grants created with <c>--json</c>.</summary>
internal static class CliGrants
{
    /// <summary>A name no other test uses, so kill switches and filters touch only this test's grants.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Creates a root grant and returns its id and token.</summary>
    public static async Task<(string Id, string Token)> GrantAsync(CliRunner cli, string user, string agent, params string[] scopeAndOptions)
    {
        var result = (await cli.RunAsync(["grant", user, agent, .. scopeAndOptions, "--ttl", "1h", "--json"])).ExpectExit(0);
        var json = result.Json();
        return (json.GetProperty("grant").GetProperty("id").GetString()!, json.GetProperty("token").GetString()!);
    }

    /// <summary>Delegates from <paramref name="parentId"/> with the admin key and returns the delegation's id and token.</summary>
    public static async Task<(string Id, string Token)> DelegateAsync(CliRunner cli, string parentId, string agent, params string[] scopeAndOptions)
    {
        var result = (await cli.RunAsync(["delegate", parentId, agent, .. scopeAndOptions, "--ttl", "10m", "--json"])).ExpectExit(0);
        var json = result.Json();
        return (json.GetProperty("grant").GetProperty("id").GetString()!, json.GetProperty("token").GetString()!);
    }
}
