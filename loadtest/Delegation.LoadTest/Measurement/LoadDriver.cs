using System.Diagnostics;

namespace Delegation.LoadTest.Measurement;

/// <summary>
/// Runs an operation under a <see cref="LoadPlan"/>: a warm-up, then a measured phase, each bounded in time and in
/// count. Asynchronous operations (HTTP) run on tasks; synchronous ones (in-process checks) on dedicated threads.
/// </summary>
public static class LoadDriver
{
    /// <summary>Extra time an operation may take past the end of its phase before it is cancelled.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(15);

    /// <summary>Runs an asynchronous operation; it returns false (or throws) for a failure.</summary>
    /// <param name="name">The row's name.</param>
    /// <param name="plan">The load.</param>
    /// <param name="operation">Takes the worker index and a token cancelled a little after the phase ends.</param>
    /// <param name="progress">Told the fraction of the measured phase done, a few times a second.</param>
    /// <param name="cancellationToken">Stops early.</param>
    public static async Task<MeasurementResult> RunAsync(
        string name, LoadPlan plan, Func<int, CancellationToken, ValueTask<bool>> operation, Action<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(operation);
        if (plan.Warmup > TimeSpan.Zero)
        {
            await RunPhaseAsync(plan, plan.Warmup, plan.MaxOperations, operation, null, cancellationToken).ConfigureAwait(false);
        }

        var (stats, seconds, allocated) = await RunPhaseAsync(plan, plan.Duration, plan.MaxOperations, operation, progress, cancellationToken).ConfigureAwait(false);
        return Summarize(name, plan, stats, seconds, allocated);
    }

    /// <summary>
    /// Runs a synchronous operation on <see cref="LoadPlan.Concurrency"/> threads. With <paramref name="batch"/> above
    /// one (closed loop only), the clock is read once per batch of calls and each call is recorded at the batch's mean,
    /// so a call of a few hundred nanoseconds is not dominated by reading the clock; its tail is then a batch's tail.
    /// Allocation is the workers' own (exact, per thread), not the whole process's.
    /// </summary>
    public static MeasurementResult RunThreads(string name, LoadPlan plan, Func<int, bool> operation, Action<double>? progress, CancellationToken cancellationToken, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(operation);
        batch = plan.RatePerSecond is null ? Math.Max(1, batch) : 1;
        if (plan.Warmup > TimeSpan.Zero)
        {
            RunThreadPhase(plan, plan.Warmup, operation, null, batch, cancellationToken);
        }

        var (stats, seconds, _) = RunThreadPhase(plan, plan.Duration, operation, progress, batch, cancellationToken);
        return Summarize(name, plan, stats, seconds, stats.Sum(s => s.Allocated));
    }

    /// <summary>
    /// Runs several asynchronous operations in turns: each warms up, then the measured time is cut into
    /// <paramref name="slices"/> and the operations take turns slice by slice. On a shared machine whose background
    /// load drifts, every row then sees the same mix of quiet and busy moments, so their ratios hold.
    /// </summary>
    public static async Task<IReadOnlyList<MeasurementResult>> RunInterleavedAsync(
        IReadOnlyList<(string Name, Func<int, CancellationToken, ValueTask<bool>> Operation)> operations,
        LoadPlan plan,
        int slices,
        Action<double>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(plan);
        slices = Math.Max(1, slices);
        foreach (var (_, operation) in operations.Where(_ => plan.Warmup > TimeSpan.Zero))
        {
            await RunPhaseAsync(plan, plan.Warmup, plan.MaxOperations, operation, null, cancellationToken).ConfigureAwait(false);
        }

        var totals = operations.Select(_ => new SliceTotals()).ToArray();
        var slice = plan.Duration / slices;
        for (var s = 0; s < slices; s++)
        {
            for (var i = 0; i < operations.Count; i++)
            {
                var done = ((s * operations.Count) + i) / (double)(slices * operations.Count);
                var (stats, seconds, allocated) = await RunPhaseAsync(
                    plan, slice, Math.Max(1, plan.MaxOperations / slices), operations[i].Operation, progress is null ? null : f => progress(done + (f / (slices * operations.Count))), cancellationToken).ConfigureAwait(false);
                totals[i].Add(stats, seconds, allocated);
            }
        }

        return [.. operations.Select((o, i) => Summarize(o.Name, plan, [.. totals[i].Stats], totals[i].Seconds, totals[i].Allocated))];
    }

    /// <summary>Like <see cref="RunInterleavedAsync"/> for synchronous operations on threads.</summary>
    public static IReadOnlyList<MeasurementResult> RunThreadsInterleaved(
        IReadOnlyList<(string Name, Func<int, bool> Operation)> operations,
        LoadPlan plan,
        int slices,
        Action<double>? progress,
        CancellationToken cancellationToken,
        int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(plan);
        slices = Math.Max(1, slices);
        batch = plan.RatePerSecond is null ? Math.Max(1, batch) : 1;
        foreach (var (_, operation) in operations.Where(_ => plan.Warmup > TimeSpan.Zero))
        {
            RunThreadPhase(plan, plan.Warmup, operation, null, batch, cancellationToken);
        }

        var totals = operations.Select(_ => new SliceTotals()).ToArray();
        var slicePlan = plan with { MaxOperations = Math.Max(1, plan.MaxOperations / slices) };
        for (var s = 0; s < slices; s++)
        {
            for (var i = 0; i < operations.Count; i++)
            {
                var done = ((s * operations.Count) + i) / (double)(slices * operations.Count);
                var (stats, seconds, _) = RunThreadPhase(
                    slicePlan, plan.Duration / slices, operations[i].Operation, progress is null ? null : f => progress(done + (f / (slices * operations.Count))), batch, cancellationToken);
                totals[i].Add(stats, seconds, stats.Sum(w => w.Allocated));
            }
        }

        return [.. operations.Select((o, i) => Summarize(o.Name, plan, [.. totals[i].Stats], totals[i].Seconds, totals[i].Allocated))];
    }

    private static async Task<(WorkerStats[] Stats, double Seconds, long Allocated)> RunPhaseAsync(
        LoadPlan plan, TimeSpan duration, long maxOperations, Func<int, CancellationToken, ValueTask<bool>> operation, Action<double>? progress, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(duration + Grace);
        var allocatedBefore = GC.GetTotalAllocatedBytes(false);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var phase = new Phase(duration, plan.RatePerSecond, maxOperations);
        var stats = new WorkerStats[plan.Concurrency];
        var workers = new Task[plan.Concurrency];
        for (var w = 0; w < workers.Length; w++)
        {
            stats[w] = new WorkerStats();
            var index = w;
            workers[w] = Task.Run(() => WorkAsync(index, phase, stats[index], operation, deadline.Token), CancellationToken.None);
        }

        using var reporter = Report(phase, progress);
        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Elapsed(phase);
        stats[0].CpuSeconds = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        return (stats, seconds, GC.GetTotalAllocatedBytes(false) - allocatedBefore);
    }

    private static async Task WorkAsync(int worker, Phase phase, WorkerStats stats, Func<int, CancellationToken, ValueTask<bool>> operation, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            long intended;
            if (phase.IsOpenLoop)
            {
                if (!phase.TryNextScheduled(out intended))
                {
                    return;
                }

                var wait = intended - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                intended = Stopwatch.GetTimestamp();
                if (!phase.TryTake(intended))
                {
                    return;
                }
            }

            var sent = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = await operation(worker, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                stats.FirstError ??= Describe(ex);
                ok = false;
            }

            Record(stats, phase, intended, sent, Stopwatch.GetTimestamp(), ok);
        }
    }

    private static (WorkerStats[] Stats, double Seconds, long Allocated) RunThreadPhase(
        LoadPlan plan, TimeSpan duration, Func<int, bool> operation, Action<double>? progress, int batch, CancellationToken cancellationToken)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(false);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var phase = new Phase(duration, plan.RatePerSecond, plan.MaxOperations);
        var stats = new WorkerStats[plan.Concurrency];
        var threads = new Thread[plan.Concurrency];
        for (var w = 0; w < threads.Length; w++)
        {
            stats[w] = new WorkerStats();
            var index = w;
            threads[w] = new Thread(() => Work(index, phase, stats[index], operation, batch, cancellationToken)) { IsBackground = true, Name = $"load-{index}" };
            threads[w].Start();
        }

        using (Report(phase, progress))
        {
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        var seconds = Elapsed(phase);
        stats[0].CpuSeconds = (Environment.CpuUsage.TotalTime - cpuBefore).TotalSeconds;
        return (stats, seconds, GC.GetTotalAllocatedBytes(false) - allocatedBefore);
    }

    private static void Work(int worker, Phase phase, WorkerStats stats, Func<int, bool> operation, int batch, CancellationToken cancellationToken)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        if (batch > 1)
        {
            WorkInBatches(worker, phase, stats, operation, batch, cancellationToken);
        }
        else
        {
            WorkOneByOne(worker, phase, stats, operation, cancellationToken);
        }

        stats.Allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
    }

    private static void WorkOneByOne(int worker, Phase phase, WorkerStats stats, Func<int, bool> operation, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            long intended;
            if (phase.IsOpenLoop)
            {
                if (!phase.TryNextScheduled(out intended))
                {
                    return;
                }

                WaitUntil(intended);
            }
            else
            {
                intended = Stopwatch.GetTimestamp();
                if (!phase.TryTake(intended))
                {
                    return;
                }
            }

            var sent = Stopwatch.GetTimestamp();
            bool ok;
            try
            {
                ok = operation(worker);
            }
            catch (Exception ex)
            {
                stats.FirstError ??= Describe(ex);
                ok = false;
            }

            Record(stats, phase, intended, sent, Stopwatch.GetTimestamp(), ok);
        }
    }

    private static void WorkInBatches(int worker, Phase phase, WorkerStats stats, Func<int, bool> operation, int batch, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested && phase.TryTakeBatch(start, batch))
        {
            var failed = 0;
            for (var i = 0; i < batch; i++)
            {
                try
                {
                    failed += operation(worker) ? 0 : 1;
                }
                catch (Exception ex)
                {
                    stats.FirstError ??= Describe(ex);
                    failed++;
                }
            }

            var end = Stopwatch.GetTimestamp();
            stats.Operations += batch;
            stats.Errors += failed;
            stats.Latency.Record(Phase.ToNanos(end - start) / batch, batch);
            start = end;
        }
    }

    private static void WaitUntil(long timestamp)
    {
        long wait;
        while ((wait = timestamp - Stopwatch.GetTimestamp()) > 0)
        {
            if (wait > Stopwatch.Frequency / 500)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private static void Record(WorkerStats stats, Phase phase, long intended, long sent, long done, bool ok)
    {
        stats.Operations++;
        if (!ok)
        {
            stats.Errors++;
        }

        stats.Latency.Record(Phase.ToNanos(done - intended));
        if (phase.IsOpenLoop)
        {
            stats.Service.Record(Phase.ToNanos(done - sent));
        }
    }

    // Operations still in flight at the end complete and count, so the phase lasts until the last one answers.
    private static double Elapsed(Phase phase) => (Stopwatch.GetTimestamp() - phase.Start) / (double)Stopwatch.Frequency;

    private static Timer? Report(Phase phase, Action<double>? progress) => progress is null
        ? null
        : new Timer(
            _ => progress(Math.Clamp((Stopwatch.GetTimestamp() - phase.Start) / (double)(phase.End - phase.Start), 0, 1)),
            null,
            TimeSpan.Zero,
            TimeSpan.FromMilliseconds(250));

    private sealed class SliceTotals
    {
        public List<WorkerStats> Stats { get; } = [];

        public double Seconds { get; private set; }

        public long Allocated { get; private set; }

        public void Add(WorkerStats[] stats, double seconds, long allocated)
        {
            Stats.AddRange(stats);
            Seconds += seconds;
            Allocated += allocated;
        }
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    private static MeasurementResult Summarize(string name, LoadPlan plan, WorkerStats[] stats, double seconds, long allocated)
    {
        var latency = new LatencyHistogram();
        var service = new LatencyHistogram();
        long operations = 0, errors = 0;
        double cpu = 0;
        foreach (var s in stats)
        {
            cpu += s.CpuSeconds;
            latency.Add(s.Latency);
            service.Add(s.Service);
            operations += s.Operations;
            errors += s.Errors;
        }

        return new MeasurementResult(
            name, plan.Mode, plan.Concurrency, plan.RatePerSecond, operations, errors, seconds,
            latency.Summarize(), plan.RatePerSecond is null ? null : service.Summarize())
        {
            Histogram = latency,
            Spectrum = [.. latency.Spectrum().Select(p => new SpectrumPoint(p.Percentile, p.Nanos))],
            AllocatedBytesPerOp = operations > 0 ? allocated / (double)operations : null,
            FirstError = stats.Select(s => s.FirstError).FirstOrDefault(e => e is not null),
            CpuSeconds = cpu,
        };
    }
}
