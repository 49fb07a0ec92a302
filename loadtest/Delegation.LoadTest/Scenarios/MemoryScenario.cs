using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Delegation.Api;
using Delegation.Grains.Trees;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>memory</c>: bytes per active grant at a million grants. Grants are created in-process, by grain calls to the
/// tree grains of an Orleans silo in this process; the managed heap is measured empty (silo started), with every tree
/// active, and again once every activation is collected, so the activations' share (what a silo holds per active
/// grant, Orleans' own bookkeeping of each activation included) is separated from the memory store's (which a SQLite
/// or PostgreSQL silo keeps on disk).
/// </summary>
public static class MemoryScenario
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: Environment.ProcessorCount, defaultDurationSeconds: 300);
        var grants = new Option<int>("--grants") { Description = "Grants to create.", DefaultValueFactory = _ => 1_000_000 };
        var treeSize = new Option<int>("--tree-size") { Description = "Grants per tree: a root and its delegations.", DefaultValueFactory = _ => 10 };
        var hold = new Option<int>("--hold-seconds")
        {
            Description = "Keep every tree active this long after measuring, before collecting, so a heap dump can be taken (dotnet-gcdump collect -p <pid>).",
            DefaultValueFactory = _ => 0,
        };
        var distinct = new Option<bool>("--distinct-scopes")
        {
            Description = "Give every delegation a scope of its own (the worst case), instead of one scope for every child (which a tree holds once).",
        };
        var command = new Command("memory", "Bytes per active grant at a million grants (in-process, memory store).");
        common.AddTo(command);
        command.Add(grants);
        command.Add(treeSize);
        command.Add(hold);
        command.Add(distinct);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed", Warmup = TimeSpan.Zero, Store = "memory" };
            var n = Math.Clamp(result.GetValue(grants), 1, 20_000_000);
            var size = Math.Clamp(result.GetValue(treeSize), 1, 10_000);
            var holdFor = TimeSpan.FromSeconds(Math.Clamp(result.GetValue(hold), 0, 3600));
            return ScenarioRunner.RunAsync(
                "memory",
                "Bytes per active grant",
                settings,
                new() { ["grants"] = n.ToString("N0", CultureInfo.InvariantCulture), ["tree size"] = size.ToString(CultureInfo.InvariantCulture), ["child scopes"] = result.GetValue(distinct) ? "one per grant" : "one for all", ["duration"] = "until done, at most the duration" },
                ctx => RunAsync(ctx, n, size, holdFor, result.GetValue(distinct)),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int grants, int treeSize, TimeSpan hold, bool distinctScopes)
    {
        var settings = ctx.Settings;
        await using var runtime = await InProcessRuntime.StartAsync("memory").ConfigureAwait(false);
        var empty = Heap();
        var roots = new string?[settings.Concurrency];
        var expiries = new DateTimeOffset[settings.Concurrency];
        var inTree = new int[settings.Concurrency];
        var rootRequest = new CreateGrantRequest("user", "agent", Fixtures.RootScope, TtlSeconds: Fixtures.TtlSeconds);

        var creation = await ctx.MeasureAsync(
            "create a grant in-process (ITreeGrain)",
            settings.Closed() with { MaxOperations = grants },
            async (w, ct) =>
            {
                if (roots[w] is null || inTree[w] == treeSize)
                {
                    var root = (await runtime.Grains.NewRootGrant().CreateRootAsync(rootRequest).ConfigureAwait(false)).Grant;
                    (roots[w], expiries[w]) = (root.Id, root.ExpiresAt);
                    inTree[w] = 1;
                }
                else
                {
                    var scope = distinctScopes
                        ? (IReadOnlyList<string>)[$"tickets:read@projects/{w}-{inTree[w]}/**", $"tickets:list@projects/{w}-{inTree[w]}/*"]
                        : Fixtures.ChildScope;
                    await runtime.Grains.GetGrant(roots[w]!).DelegateAsync(new DelegateRequest("sub-agent", scope, ExpiresAt: expiries[w])).ConfigureAwait(false);
                    inTree[w]++;
                }

                return true;
            }).ConfigureAwait(false);

        var created = creation.Operations;
        var active = Heap();
        var workingSet = Process.GetCurrentProcess().WorkingSet64;
        if (hold > TimeSpan.Zero)
        {
            await ctx.StepAsync($"holding every tree active for {hold.TotalSeconds:N0} s (process {Environment.ProcessId})", async ct => { await Task.Delay(hold, ct).ConfigureAwait(false); return true; }).ConfigureAwait(false);
        }

        // The old runtime counted its directory's entries; on Orleans the count is the tree grains active in the silo
        // (TreeGauges.Activations, what GET /v1/stats reports), and "collect every activation" is Orleans' activation
        // collection with an age limit of zero, waited for until no tree activation is left.
        var activations = runtime.Gauges.Activations;
        var left = await ctx.StepAsync("collecting every activation", ct => runtime.CollectAllActivationsAsync(TimeSpan.FromSeconds(120), ct)).ConfigureAwait(false);
        var storeOnly = Heap();

        ctx.Report.Facts.Add(new Fact("grants created", created, string.Empty, $"{activations:N0} trees of up to {treeSize}"));
        ctx.Report.Facts.Add(new Fact("bytes per active grant (activations)", (active - storeOnly) / (double)created, "bytes", "heap with every tree active minus heap after collecting every activation"));
        ctx.Report.Facts.Add(new Fact("bytes per grant in the memory store", (storeOnly - empty) / (double)created, "bytes", "events, indexes and the feed; on disk with SQLite"));
        ctx.Report.Facts.Add(new Fact("bytes per grant, total", (active - empty) / (double)created, "bytes", "heap after creation minus heap before, after full compacting GCs"));
        ctx.Report.Facts.Add(new Fact("managed heap with every grant active", active / 1048576.0, "MiB"));
        ctx.Report.Facts.Add(new Fact("process working set with every grant active", workingSet / 1048576.0, "MiB"));
        if (left > 0)
        {
            ctx.Report.Notes.Add($"{left:N0} tree activations were still active after collection, so the activations' share is understated.");
        }

        ctx.Report.Notes.Add("Each tree is a root grant and its delegations (depth 1), created by grain calls to ITreeGrain (the tree grain on an Orleans silo in this process, localhost clustering) exactly as the silo does: token issued, attenuation checked, event appended, state folded and published.");
        ctx.Report.Notes.Add("Heap figures are GC.GetTotalMemory after forced, compacting, blocking full collections.");
    }

    private static long Heap()
    {
        for (var i = 0; i < 2; i++)
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
