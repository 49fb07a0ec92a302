using System.Diagnostics;

namespace Delegation.Tests.Cli;

/// <summary>Runs the built <c>delegation</c> tool as a real process against the test silo.</summary>
public sealed class CliRunner(SiloProcess silo)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The credential sent through DELEGATION_KEY; null for none.</summary>
    public string? Key { get; init; } = SiloProcess.AdminKey;

    /// <summary>Runs <c>delegation args...</c> to its end.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("The CLI did not start.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"delegation {string.Join(' ', args)} did not finish within {RunTimeout.TotalSeconds} s.");
        }

        return new CliResult(args, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a long-running command (a tail) whose output lines are read as they come.</summary>
    public RunningCli Start(params string[] args) => new(System.Diagnostics.Process.Start(StartInfo(args)) ?? throw new InvalidOperationException("The CLI did not start."), args);

    private ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo(RepositoryPaths.DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.CliDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DELEGATION_URL"] = silo.Url;
        start.Environment.Remove("DELEGATION_KEY");
        if (Key is not null)
        {
            start.Environment["DELEGATION_KEY"] = Key;
        }

        start.Environment["NO_COLOR"] = "1";
        return start;
    }
}
