using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Delegation.Benchmarks;

/// <summary>
/// Runs the micro-benchmarks: <c>dotnet run -c Release --project tests/Delegation.Benchmarks -- --filter '*'</c>.
/// In-process (no generated project to build), with a short job by default so a full run stays within minutes on
/// two cores; pass <c>--job medium</c> or <c>long</c> for tighter intervals.
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Entry point; arguments are BenchmarkDotNet's (<c>--filter</c>, <c>--job</c>, <c>--list flat</c>...).</summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary)
            .WithArtifactsPath(Path.Combine("artifacts", "benchmarks"));
        if (!args.Any(a => a is "--job" or "-j"))
        {
            config = config.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("short-inprocess"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
    }
}
