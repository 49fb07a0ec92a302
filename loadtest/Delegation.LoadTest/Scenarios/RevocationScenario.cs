using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Delegation.Api;
using Delegation.Client;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Measurement;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>revocation</c>: a tree of 10,000 grants up to depth 8, K connected enforcers that have cached some of its
/// grants; revoke the root with <c>?wait=true</c> and time, for every enforcer, until its check denies; and the
/// latency of the revoke call itself. Repeated over several fresh trees.
/// </summary>
public static class RevocationScenario
{
    private const int MaxTreeDepth = 8;

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 16, defaultDurationSeconds: 10);
        var grants = new Option<int>("--grants") { Description = "Grants per tree.", DefaultValueFactory = _ => 10_000 };
        var rounds = new Option<int>("--rounds") { Description = "Trees built and revoked, one after another.", DefaultValueFactory = _ => 10 };
        var watched = new Option<int>("--watched") { Description = "Grants of the tree each enforcer has cached and checks.", DefaultValueFactory = _ => 4 };
        var transport = new Option<string>("--transport")
        {
            Description = "How the enforcers reach the silo: http (the feed over server-sent events), orleans (each enforcer an Orleans client of the silo's gateway), or both (K of each, in the same rounds).",
            DefaultValueFactory = _ => "http",
        };
        transport.AcceptOnlyFromAmong("http", "orleans", "both");
        var watcher = new Option<string>("--watcher")
        {
            Description = "How the time until an enforcer denies is taken: event (each enforcer's feed progress wakes a check of its grants; nothing spins) or spin (one thread checks every enforcer in turn, busy, taking a core of its own).",
            DefaultValueFactory = _ => "event",
        };
        watcher.AcceptOnlyFromAmong("event", "spin");
        var warmupRounds = new Option<int>("--warmup-rounds") { Description = "Rounds run first and not counted (the first revocation through every path runs code not yet compiled to its final tier); their slowest enforcer is still listed in the notes.", DefaultValueFactory = _ => 1 };
        var command = new Command("revocation", "Revoke a 10,000-grant tree's root: time until each of K enforcers denies, and revoke?wait=true latency. --concurrency is K.");
        common.AddTo(command);
        command.Add(grants);
        command.Add(rounds);
        command.Add(watched);
        command.Add(transport);
        command.Add(watcher);
        command.Add(warmupRounds);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var n = Math.Clamp(result.GetValue(grants), 2, 100_000);
            var r = Math.Clamp(result.GetValue(rounds), 1, 1000);
            var w = Math.Clamp(result.GetValue(watched), 1, 64);
            var t = result.GetValue(transport)!;
            var spin = result.GetValue(watcher) == "spin";
            var warm = Math.Clamp(result.GetValue(warmupRounds), 0, 100);
            return ScenarioRunner.RunAsync(
                "revocation",
                "Revocation reaching every enforcer",
                settings,
                new()
                {
                    ["enforcers"] = (t == "both" ? $"{settings.Concurrency} HTTP + {settings.Concurrency} Orleans client" : $"{settings.Concurrency} {t}"),
                    ["grants per tree"] = n.ToString("N0", CultureInfo.InvariantCulture),
                    ["max depth"] = MaxTreeDepth.ToString(CultureInfo.InvariantCulture),
                    ["rounds"] = warm > 0 ? $"{r} (after {warm} not counted)" : r.ToString(CultureInfo.InvariantCulture),
                    ["watched grants per enforcer"] = w.ToString(CultureInfo.InvariantCulture),
                    ["watcher"] = spin ? "spin (one busy thread)" : "event (feed progress)",
                    ["duration"] = "not used",
                    ["warmup"] = "not used",
                },
                ctx => RunAsync(ctx, n, r + warm, w, t, spin, warm),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int grants, int rounds, int watched, string transport, bool spin, int warmupRounds)
    {
        var settings = ctx.Settings;
        if (transport != "http" && settings.Url is not null)
        {
            throw new ArgumentException("--transport orleans and both start their own silo (its Orleans gateway is on a free loopback port); --url is not used with them.");
        }

        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, settings.Url, settings.AdminKey)).ConfigureAwait(false);
        var admin = target.Admin();
        var writer = target.Host is { } host ? GrantWriter.Over(host.Services.GetRequiredService<IGrainFactory>()) : GrantWriter.Over(admin);
        var enforcers = new List<Enforcer>();
        var kinds = new List<string>();
        var clients = new List<OrleansClientHost>();
        try
        {
            if (transport is "http" or "both")
            {
                for (var e = 0; e < settings.Concurrency; e++)
                {
                    enforcers.Add(await ctx.StepAsync($"starting HTTP enforcer {e + 1}", ct => Enforcers.StartAsync(target, $"loadtest-enforcer-{e:D2}", ct)).ConfigureAwait(false));
                    kinds.Add("HTTP");
                }
            }

            if (transport is "orleans" or "both")
            {
                for (var e = 0; e < settings.Concurrency; e++)
                {
                    var client = await ctx.StepAsync($"connecting Orleans client {e + 1}", ct => OrleansClientHost.ConnectAsync(target.Host!, TimeSpan.FromSeconds(30), ct)).ConfigureAwait(false);
                    clients.Add(client);
                    enforcers.Add(await ctx.StepAsync($"starting Orleans-client enforcer {e + 1}", ct => Enforcers.StartOrleansAsync(client, $"loadtest-orleans-enforcer-{e:D2}", ct)).ConfigureAwait(false));
                    kinds.Add("Orleans client");
                }
            }

            var byKind = kinds.Distinct().ToDictionary(k => k, _ => (Histogram: new LatencyHistogram(), Ms: new List<double>()));
            var denied = new LatencyHistogram();
            var revokes = new LatencyHistogram();
            var deniedMs = new List<double>();
            var revokeMs = new List<double>();
            var propagations = new List<PropagationView>();
            var catchUps = new List<double>();
            var roundSlowest = new List<double>();
            var roundRevoke = new List<double>();
            var roundAckWait = new List<long>();
            var roundJit = new List<(int Methods, double Ms)>();
            for (var round = 0; round < rounds; round++)
            {
                var tree = await ctx.StepAsync($"round {round + 1}/{rounds}: building a tree of {grants:N0} grants", ct => BuildTreeAsync(writer, grants, round, ct)).ConfigureAwait(false);
                var head = (await admin.GetEnforcersAsync(ctx.Cancellation).ConfigureAwait(false)).Head;
                var catchUp = Stopwatch.StartNew();
                await ctx.StepAsync($"round {round + 1}/{rounds}: enforcers catching up with the feed", ct => Task.WhenAll(enforcers.Select(e => e.WaitForFeedAsync(head, ct))).WaitAsync(TimeSpan.FromSeconds(120), ct).ContinueWith(_ => true, ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default)).ConfigureAwait(false);
                catchUps.Add(catchUp.Elapsed.TotalMilliseconds);
                var watches = await ctx.StepAsync($"round {round + 1}/{rounds}: caching {watched} grants in each enforcer", ct => CacheAsync(enforcers, tree, watched, ct)).ConfigureAwait(false);
                var jitMethods = JitInfo.GetCompiledMethodCount();
                var jitTime = JitInfo.GetCompilationTime();
                var (deniedAfter, revokeTook, propagation) = await ctx.StepAsync($"round {round + 1}/{rounds}: revoking the root", ct => spin ? RevokeAndSpinAsync(admin, tree[0], watches, ct) : RevokeAndWatchAsync(admin, tree[0], watches, ct)).ConfigureAwait(false);
                roundJit.Add(((int)(JitInfo.GetCompiledMethodCount() - jitMethods), (JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds));
                roundSlowest.Add(deniedAfter.Max(t => Phase.ToNanos(t)) / 1e6);
                roundRevoke.Add(Phase.ToNanos(revokeTook) / 1e6);
                roundAckWait.Add(propagation?.ElapsedMs ?? -1);
                if (round < warmupRounds)
                {
                    continue;
                }

                for (var e = 0; e < deniedAfter.Length; e++)
                {
                    var ticks = deniedAfter[e];
                    denied.Record(Phase.ToNanos(ticks));
                    deniedMs.Add(Phase.ToNanos(ticks) / 1e6);
                    byKind[kinds[e]].Histogram.Record(Phase.ToNanos(ticks));
                    byKind[kinds[e]].Ms.Add(Phase.ToNanos(ticks) / 1e6);
                }

                revokes.Record(Phase.ToNanos(revokeTook));
                revokeMs.Add(Phase.ToNanos(revokeTook) / 1e6);
                if (propagation is not null)
                {
                    propagations.Add(propagation);
                }
            }

            if (byKind.Count > 1)
            {
                foreach (var (kind, (histogram, ms)) in byKind)
                {
                    ctx.Add(Row($"{kind} enforcer denies, after the revoke is sent", settings.Concurrency, histogram));
                    ctx.Report.Distributions.Add(new CdfSeries($"time until an {kind} enforcer denies", ms));
                    var k = histogram.Summarize();
                    ctx.Report.Facts.Add(new Fact($"propagation to {kind} enforcers p50", k.P50 / 1e6, "ms", $"{ms.Count} samples"));
                    ctx.Report.Facts.Add(new Fact($"propagation to {kind} enforcers p99", k.P99 / 1e6, "ms", $"max {k.Max / 1e6:F1} ms"));
                }
            }

            ctx.Add(Row("enforcer denies, after the revoke is sent", enforcers.Count, denied));
            ctx.Add(Row("POST /v1/grants/{id}/revoke?wait=true", 1, revokes));
            ctx.Report.Distributions.Add(new CdfSeries("time until an enforcer denies", deniedMs));
            ctx.Report.Distributions.Add(new CdfSeries("revoke?wait=true latency", revokeMs));
            var p = denied.Summarize();
            ctx.Report.Facts.Add(new Fact("propagation p50", p.P50 / 1e6, "ms", $"{deniedMs.Count} samples: {enforcers.Count} enforcers x {rounds - warmupRounds} rounds"));
            ctx.Report.Facts.Add(new Fact("propagation p99", p.P99 / 1e6, "ms", "target <= 10 ms to 16 enforcers"));
            ctx.Report.Facts.Add(new Fact("propagation max", p.Max / 1e6, "ms"));
            ctx.Report.Facts.Add(new Fact("revoke?wait=true p50", revokes.Summarize().P50 / 1e6, "ms", "returns once every live enforcer acknowledged"));
            ctx.Report.Facts.Add(new Fact("revoke?wait=true max", revokes.Summarize().Max / 1e6, "ms"));
            ctx.Report.Facts.Add(new Fact("enforcers catching up with a tree's creation, max", catchUps.Max(), "ms", $"{settings.Concurrency} enforcers applying the {grants:N0} creation events of a round from the feed (before caching; not part of the propagation figures)"));
            if (propagations.Count > 0)
            {
                ctx.Report.Facts.Add(new Fact("live enforcers counted by revoke?wait=true (fewest in a round)", propagations.Min(v => v.Total), string.Empty, $"{enforcers.Count} connected"));
                ctx.Report.Facts.Add(new Fact("of which acknowledged (fewest in a round)", propagations.Min(v => v.Acked), string.Empty, $"timed out in {propagations.Count(v => v.TimedOut)} of {propagations.Count} rounds"));
                ctx.Report.Facts.Add(new Fact("silo-reported wait for acknowledgements, max", propagations.Max(v => v.ElapsedMs), "ms", "counted by the silo from the end of the write; the rest of the call's latency is the write and its response"));
            }

            ctx.Report.Notes.Add($"The slowest enforcer of each round, in order (ms): {string.Join(", ", roundSlowest.Select(ms => ms.ToString("F1", CultureInfo.InvariantCulture)))}" +
                (warmupRounds > 0 ? $"; the first {warmupRounds} not counted in the figures (--warmup-rounds)." : "."));
            ctx.Report.Notes.Add($"revoke?wait=true of each round, in order (ms): {string.Join(", ", roundRevoke.Select(ms => ms.ToString("F1", CultureInfo.InvariantCulture)))}; of which the silo waited for acknowledgements (ms): {string.Join(", ", roundAckWait)}.");
            ctx.Report.Notes.Add($"Methods JIT-compiled in this process (silo, enforcers and driver) from sending each round's revoke until every enforcer denied, in order: {string.Join(", ", roundJit.Select(j => $"{j.Methods} ({j.Ms.ToString("F1", CultureInfo.InvariantCulture)} ms)"))}; {CodeGeneration.Describe()}.");
            ctx.Report.Notes.Add($"Each round builds a fresh tree: a chain down to depth {MaxTreeDepth}, then grants hung under random grants above that depth (seeded, so every run builds the same shapes).");
            ctx.Report.Notes.Add("Each enforcer caches some of the deepest grants (each enforcer different ones) before the revoke. An enforcer's sample is the time from sending the revoke until all of its grants deny.");
            ctx.Report.Notes.Add(spin
                ? "Watcher: spin. One thread checks every enforcer's cached grants in turn, busy, from just before the revoke is sent; on a 2-core machine it takes one core from the silo and the enforcers it measures."
                : "Watcher: event. Each enforcer's feed progress (an applied event) wakes a check of its cached grants; the sample is taken once they all deny. Nothing spins; the wake-up is a thread-pool continuation, as a gateway's next request would be.");
            ctx.Report.Notes.Add("The path measured: HTTP revoke, one append, the feed's push to each enforcer, its cache update, and the watcher's wake-up.");
        }
        finally
        {
            foreach (var enforcer in enforcers)
            {
                await enforcer.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static MeasurementResult Row(string name, int concurrency, LatencyHistogram histogram) =>
        new(name, "event", concurrency, null, histogram.Count, 0, 0, histogram.Summarize(), null)
        {
            Histogram = histogram,
            Spectrum = [.. histogram.Spectrum().Select(p => new SpectrumPoint(p.Percentile, p.Nanos))],
        };

    /// <summary>Builds one tree; returns its grants with their depths, root first.</summary>
    private static async Task<IReadOnlyList<(Grant Grant, int Depth)>> BuildTreeAsync(GrantWriter writer, int size, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var root = await writer.CreateRootAsync(
            new CreateGrantRequest("user-revocation", "agent-revocation", Fixtures.RootScope, TtlSeconds: Fixtures.TtlSeconds, MaxDepth: MaxTreeDepth), cancellationToken).ConfigureAwait(false);
        var tree = new List<(Grant Grant, int Depth)> { (new Grant(root.Grant.Id, root.Token, root.Grant.RootId), 0) };
        for (var i = 1; i < size; i++)
        {
            var parent = i <= MaxTreeDepth ? tree[i - 1] : tree[random.Next(tree.Count)];
            while (parent.Depth >= MaxTreeDepth)
            {
                parent = tree[random.Next(tree.Count)];
            }

            var child = await writer.DelegateAsync(parent.Grant.Id, new DelegateRequest($"agent-{i}", Fixtures.ChildScope, ExpiresAt: root.Grant.ExpiresAt), cancellationToken).ConfigureAwait(false);
            tree.Add((new Grant(child.Grant.Id, child.Token, root.Grant.Id), parent.Depth + 1));
        }

        return tree;
    }

    private static async Task<IReadOnlyList<(Enforcer Enforcer, string[] Tokens)>> CacheAsync(
        IReadOnlyList<Enforcer> enforcers, IReadOnlyList<(Grant Grant, int Depth)> tree, int watched, CancellationToken cancellationToken)
    {
        var deepest = tree.OrderByDescending(t => t.Depth).ThenBy(t => t.Grant.Id, StringComparer.Ordinal).Select(t => t.Grant.Token).ToArray();
        var watches = new List<(Enforcer, string[])>();
        for (var e = 0; e < enforcers.Count; e++)
        {
            var tokens = Enumerable.Range(0, watched).Select(i => deepest[((e * watched) + i) % deepest.Length]).ToArray();
            foreach (var token in tokens)
            {
                var decision = await enforcers[e].CheckAsync(token, Fixtures.Action, Fixtures.Resource, 0, cancellationToken).ConfigureAwait(false);
                for (var attempt = 0; attempt < 5 && decision.Reason == Grants.DenyReason.AuthorityUnavailable; attempt++)
                {
                    // A loaded machine can make a chain fill time out; the enforcer fails closed, and the fill is retried.
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                    decision = await enforcers[e].CheckAsync(token, Fixtures.Action, Fixtures.Resource, 0, cancellationToken).ConfigureAwait(false);
                }

                if (!decision.IsAllowed)
                {
                    throw new InvalidOperationException($"A fresh grant was denied ({decision.Reason}).");
                }
            }

            watches.Add((enforcers[e], tokens));
        }

        return watches;
    }

    /// <summary>
    /// Revokes the root and times, for each enforcer, until all its watched grants deny: each enforcer's feed progress
    /// wakes a check of its grants (from the position before the revoke, one applied event at a time).
    /// </summary>
    private static async Task<(long[] DeniedAfter, long RevokeTook, PropagationView? Propagation)> RevokeAndWatchAsync(
        DelegationClient admin, (Grant Grant, int Depth) root, IReadOnlyList<(Enforcer Enforcer, string[] Tokens)> watches, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(30));
        var started = Stopwatch.GetTimestamp();
        var watchers = watches.Select(w => WatchAsync(w.Enforcer, w.Tokens, w.Enforcer.FeedPosition, stop.Token)).ToArray();
        var response = await admin.RevokeGrantAndWaitAsync(root.Grant.Id, "loadtest", TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        var revokeTook = Stopwatch.GetTimestamp() - started;
        try
        {
            var deniedAt = await Task.WhenAll(watchers).ConfigureAwait(false);
            return ([.. deniedAt.Select(t => t - started)], revokeTook, response.Propagation);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{watchers.Count(w => !w.IsCompletedSuccessfully)} enforcers still allowed a revoked grant's descendants after 30 s.");
        }
    }

    private static async Task<long> WatchAsync(Enforcer enforcer, string[] tokens, long after, CancellationToken cancellationToken)
    {
        for (var position = after + 1; ; position++)
        {
            await enforcer.WaitForFeedAsync(position, cancellationToken).ConfigureAwait(false);
            if (tokens.All(t => !Enforcers.Wait(enforcer.CheckAsync(t, Fixtures.Action, Fixtures.Resource)).IsAllowed))
            {
                return Stopwatch.GetTimestamp();
            }
        }
    }

    /// <summary>Revokes the root and times, for each enforcer, until all its watched grants deny, with one busy thread.</summary>
    private static async Task<(long[] DeniedAfter, long RevokeTook, PropagationView? Propagation)> RevokeAndSpinAsync(
        DelegationClient admin, (Grant Grant, int Depth) root, IReadOnlyList<(Enforcer Enforcer, string[] Tokens)> watches, CancellationToken cancellationToken)
    {
        var deniedAt = new long[watches.Count];
        var started = 0L;
        using var ready = new ManualResetEventSlim();
        var watcher = new Thread(() =>
        {
            ready.Wait(cancellationToken);
            var deadline = Volatile.Read(ref started) + (30 * Stopwatch.Frequency);
            var pending = watches.Count;
            while (pending > 0 && Stopwatch.GetTimestamp() < deadline)
            {
                for (var e = 0; e < watches.Count; e++)
                {
                    if (deniedAt[e] == 0 && watches[e].Tokens.All(t => !Enforcers.Wait(watches[e].Enforcer.CheckAsync(t, Fixtures.Action, Fixtures.Resource)).IsAllowed))
                    {
                        deniedAt[e] = Stopwatch.GetTimestamp();
                        pending--;
                    }
                }

                Thread.Yield();
            }
        }) { IsBackground = true, Name = "revocation-watcher" };
        watcher.Start();

        Volatile.Write(ref started, Stopwatch.GetTimestamp());
        ready.Set();
        var response = await admin.RevokeGrantAndWaitAsync(root.Grant.Id, "loadtest", TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        var revokeTook = Stopwatch.GetTimestamp() - started;
        if (!watcher.Join(TimeSpan.FromSeconds(35)))
        {
            throw new TimeoutException("The watcher did not finish.");
        }

        if (deniedAt.Any(t => t == 0))
        {
            throw new InvalidOperationException($"{deniedAt.Count(t => t == 0)} enforcers still allowed a revoked grant's descendants after 30 s.");
        }

        return ([.. deniedAt.Select(t => t - started)], revokeTook, response.Propagation);
    }
}
