using System.Text.Json;

namespace Delegation.Tests.Cli;

/// <summary>What one run of the CLI did: its exit code and everything it printed.</summary>
public sealed record CliResult(string[] Args, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output parsed as one JSON document.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }

    /// <summary>Standard error parsed as one JSON document (problem+json with --json).</summary>
    public JsonElement ErrorJson()
    {
        using var document = JsonDocument.Parse(Stderr);
        return document.RootElement.Clone();
    }

    /// <summary>Fails with everything the run printed unless it exited with <paramref name="expected"/>.</summary>
    public CliResult ExpectExit(int expected)
    {
        Assert.True(
            ExitCode == expected,
            $"delegation {string.Join(' ', Args)} exited {ExitCode}, expected {expected}.{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}");
        return this;
    }

    public override string ToString() => $"delegation {string.Join(' ', Args)} -> {ExitCode}";
}
