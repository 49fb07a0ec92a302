using Delegation.Tests.Cli;

namespace Delegation.Tests.Observability;

/// <summary><c>delegation status</c> reads the silo's readiness.</summary>
[Collection(CliCollection.Name)]
public sealed class StatusCommandTests(SiloProcess silo)
{
    [Fact]
    public async Task Status_of_a_ready_silo_lists_its_checks_healthy_and_exits_0()
    {
        var result = (await new CliRunner(silo) { Key = null }.RunAsync("status", "--json")).ExpectExit(0);

        var checks = result.Json().GetProperty("checks");
        Assert.Equal(["store", "cluster", "feed"], checks.EnumerateObject().Select(c => c.Name).ToArray());
        Assert.All(checks.EnumerateObject(), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Status_of_a_silo_nobody_answers_for_exits_6()
    {
        var result = await new CliRunner(silo) { Key = null }.RunAsync("status", "--url", "http://127.0.0.1:9");

        result.ExpectExit(6);
    }
}
