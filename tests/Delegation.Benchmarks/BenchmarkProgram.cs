using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Delegation.Benchmarks;

/// <summary>
/// Runs the micro-benchmarks: <c>dotnet run -c Release --project tests/Delegation.Benchmarks -- --filter '*'</c>.
/// In-process (no generated project to build), ten measured iterations by default so a full run stays within minutes
/// on two cores; pass <c>--job medium</c> or <c>long</c> for tighter intervals.
/// </summary>
public static class BenchmarkProgram
{
    /// <summary>Entry point; arguments are BenchmarkDotNet's (<c>--filter</c>, <c>--job</c>, <c>--list flat</c>...).</summary>
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(RepositoryRoot(), "artifacts", "benchmarks"));
        if (!args.Any(a => a is "--job" or "-j"))
        {
            // Ten measured iterations: enough for a stable median on a shared two-core machine, short enough for minutes.
            config = config.AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(3)
                .WithIterationCount(10)
                .WithId("inprocess-10"));
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args, config);
    }

    // dotnet run may start in the project's folder; results belong under the repository's artifacts/.
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Delegation.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
