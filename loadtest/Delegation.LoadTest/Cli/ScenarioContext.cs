using Delegation.LoadTest.Measurement;
using Delegation.LoadTest.Reporting;
using Spectre.Console;

namespace Delegation.LoadTest.Cli;

/// <summary>What a running scenario works with: its settings, the report it fills in, progress and cancellation.</summary>
public sealed class ScenarioContext(ScenarioSettings settings, ScenarioReport report, ProgressContext progress, CancellationToken cancellation)
{
    /// <summary>The common settings.</summary>
    public ScenarioSettings Settings { get; } = settings;

    /// <summary>The report being filled in.</summary>
    public ScenarioReport Report { get; } = report;

    /// <summary>Cancelled on Ctrl+C.</summary>
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Runs a setup step with an indeterminate progress line.</summary>
    public async Task<T> StepAsync<T>(string description, Func<CancellationToken, Task<T>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var task = progress.AddTask(Markup.Escape(description)).IsIndeterminate();
        try
        {
            return await step(Cancellation).ConfigureAwait(false);
        }
        finally
        {
            task.IsIndeterminate(false).Value(100);
            task.StopTask();
        }
    }

    /// <summary>Measures an asynchronous operation and adds the row to the report.</summary>
    public async Task<MeasurementResult> MeasureAsync(string name, LoadPlan plan, Func<int, CancellationToken, ValueTask<bool>> operation, MeasurementResult? baseline = null)
    {
        var task = progress.AddTask(Label(name, plan));
        var result = await LoadDriver.RunAsync(name, plan, operation, f => task.Value(f * 100), Cancellation).ConfigureAwait(false);
        task.Value(100).StopTask();
        return Add(result, baseline);
    }

    /// <summary>Measures a synchronous operation on threads and adds the row to the report.</summary>
    public Task<MeasurementResult> MeasureThreadsAsync(string name, LoadPlan plan, Func<int, bool> operation, MeasurementResult? baseline = null, int batch = 1)
    {
        var task = progress.AddTask(Label(name, plan));
        return Task.Run(() =>
        {
            var result = LoadDriver.RunThreads(name, plan, operation, f => task.Value(f * 100), Cancellation, batch);
            task.Value(100).StopTask();
            return Add(result, baseline);
        });
    }

    /// <summary>
    /// Measures asynchronous operations in turns (see <see cref="LoadDriver.RunInterleavedAsync"/>) and adds their rows;
    /// the first is the baseline of the others.
    /// </summary>
    public async Task<IReadOnlyList<MeasurementResult>> MeasureInterleavedAsync(
        LoadPlan plan, params (string Name, Func<int, CancellationToken, ValueTask<bool>> Operation)[] operations)
    {
        var task = progress.AddTask(Label(string.Join(" / ", operations.Select(o => o.Name)), plan));
        var results = await LoadDriver.RunInterleavedAsync(operations, plan, Settings.Slices, f => task.Value(f * 100), Cancellation).ConfigureAwait(false);
        task.Value(100).StopTask();
        return AddAll(results, plan);
    }

    /// <summary>Measures synchronous operations on threads in turns and adds their rows; the first is the baseline.</summary>
    public Task<IReadOnlyList<MeasurementResult>> MeasureThreadsInterleavedAsync(
        LoadPlan plan, int batch, params (string Name, Func<int, bool> Operation)[] operations)
    {
        var task = progress.AddTask(Label(string.Join(" / ", operations.Select(o => o.Name)), plan));
        return Task.Run(() =>
        {
            var results = LoadDriver.RunThreadsInterleaved(operations, plan, Settings.Slices, f => task.Value(f * 100), Cancellation, batch);
            task.Value(100).StopTask();
            return AddAll(results, plan);
        });
    }

    /// <summary>Adds a row, compared with <paramref name="baseline"/> when given.</summary>
    public MeasurementResult Add(MeasurementResult result, MeasurementResult? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (baseline is not null)
        {
            result = result.ComparedWith(baseline);
        }

        Report.Measurements.Add(result);
        return result;
    }

    private IReadOnlyList<MeasurementResult> AddAll(IReadOnlyList<MeasurementResult> results, LoadPlan plan) =>
        [.. results.Select((r, i) => Add(r, i == 0 || plan.RatePerSecond is not null ? null : results[0]))];

    /// <summary>The open-loop rate: the <c>--rate</c> given, or half of a closed-loop throughput measured before.</summary>
    public double OpenRate(MeasurementResult? closed) =>
        Settings.Rate > 0 ? Settings.Rate : Math.Max(100, Math.Round((closed?.Throughput ?? 2000) / 2 / 100) * 100);

    private static string Label(string name, LoadPlan plan) =>
        Markup.Escape(plan.RatePerSecond is { } r ? $"{name} (open {Format.Rate(r)})" : $"{name} (closed, {plan.Concurrency})");
}
