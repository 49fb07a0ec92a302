using System.Collections.Concurrent;
using Delegation.Grains.Errors;
using Delegation.Grains.Storage;

namespace Delegation.Grains.Runtime;

/// <summary>
/// The silo's grain directory: at most one activation per tree, created on demand by loading the tree from the
/// store, and collected when idle.
/// </summary>
public sealed class TreeDirectory : IDisposable
{
    private readonly ConcurrentDictionary<string, Task<TreeActivation>> _activations = new(StringComparer.Ordinal);
    private readonly IEventStore _store;
    private readonly TimeProvider _time;
    private readonly RuntimeOptions _options;

    /// <summary>Creates a directory over <paramref name="store"/>.</summary>
    public TreeDirectory(IEventStore store, TimeProvider time, RuntimeOptions options)
    {
        _store = store;
        _time = time;
        _options = options;
    }

    /// <summary>The store the activations load from and append to.</summary>
    internal IEventStore Store => _store;

    /// <summary>Activations currently loaded.</summary>
    public int Count => _activations.Count;

    /// <summary>The activation of a tree, loading it if needed. A tree that does not exist yet loads empty.</summary>
    public ValueTask<TreeActivation> GetAsync(string treeId, CancellationToken cancellationToken = default)
    {
        if (_activations.TryGetValue(treeId, out var existing) && existing.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(existing.Result);
        }

        return new(LoadAsync(treeId, cancellationToken));
    }

    /// <summary>The activation of an existing tree, or null (and nothing kept in memory) when it has no events.</summary>
    public async ValueTask<TreeActivation?> GetExistingAsync(string treeId, CancellationToken cancellationToken = default)
    {
        var activation = await GetAsync(treeId, cancellationToken).ConfigureAwait(false);
        if (activation.Snapshot.Exists)
        {
            return activation;
        }

        if (activation.TryDeactivateIfEmpty() && _activations.TryGetValue(treeId, out var task) && task.IsCompletedSuccessfully
            && ReferenceEquals(task.Result, activation))
        {
            _activations.TryRemove(new KeyValuePair<string, Task<TreeActivation>>(treeId, task));
            activation.Dispose();
        }

        return null;
    }

    /// <summary>The activation if it is loaded; never loads.</summary>
    public bool TryGetLoaded(string treeId, out TreeActivation? activation)
    {
        activation = _activations.TryGetValue(treeId, out var task) && task.IsCompletedSuccessfully ? task.Result : null;
        return activation is not null;
    }

    /// <summary>Deactivates activations idle longer than the idle timeout; returns how many.</summary>
    public int CollectIdle()
    {
        var cutoff = _time.GetTimestamp() - (long)(_options.IdleTimeout.TotalSeconds * _time.TimestampFrequency);
        var collected = 0;
        foreach (var (treeId, task) in _activations)
        {
            if (task.IsCompletedSuccessfully && task.Result.LastUsed < cutoff && task.Result.TryDeactivate())
            {
                _activations.TryRemove(new KeyValuePair<string, Task<TreeActivation>>(treeId, task));
                task.Result.Dispose();
                collected++;
            }
        }

        return collected;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var task in _activations.Values)
        {
            if (task.IsCompletedSuccessfully)
            {
                task.Result.TryDeactivate();
                task.Result.Dispose();
            }
        }

        _activations.Clear();
    }

    private async Task<TreeActivation> LoadAsync(string treeId, CancellationToken cancellationToken)
    {
        var task = GetOrStartLoad(treeId);
        try
        {
            return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _activations.TryRemove(new KeyValuePair<string, Task<TreeActivation>>(treeId, task));
            throw new AuthorityUnavailableException($"Tree {treeId} could not be loaded from the store.", ex);
        }
    }

    // Exactly one load per tree: GetOrAdd's factory may run twice under a race, and a second activation
    // would keep a live timer nobody can reach.
    private Task<TreeActivation> GetOrStartLoad(string treeId)
    {
        while (true)
        {
            if (_activations.TryGetValue(treeId, out var existing))
            {
                return existing;
            }

            var source = new TaskCompletionSource<TreeActivation>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_activations.TryAdd(treeId, source.Task))
            {
                _ = CompleteLoadAsync(treeId, source);
                return source.Task;
            }
        }
    }

    private async Task CompleteLoadAsync(string treeId, TaskCompletionSource<TreeActivation> source)
    {
        try
        {
            source.SetResult(await TreeActivation.ActivateAsync(treeId, _store, _time, _options, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            source.SetException(ex);
        }
    }
}
