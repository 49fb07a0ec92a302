using System.Collections.Concurrent;
using System.Net;
using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Tests.Cluster;

/// <summary>
/// Load over many trees for the silo-kill test: workers check each tree's root and its budgeted child with cost 1
/// and now and then delegate under the child, through whichever of the silos still run, until stopped; revocations
/// are sent until they return. Every check takes a number from one sequence before it is sent, and a revocation takes
/// one after it returned, so a check allowed although it started after its tree's revocation returned is caught
/// (the in-process <c>ThreeSiloClusterTests</c> does the same).
/// </summary>
public sealed class ManyTreesLoad
{
    private static readonly TimeSpan RevokePatience = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyList<(GrantCreatedResponse Root, GrantCreatedResponse Child)> _trees;
    private readonly long[] _revokedAt;
    private readonly long[] _rootAllows;
    private readonly long[] _childAllows;
    private readonly ConcurrentBag<string> _delegated = [];
    private readonly ConcurrentBag<string> _lateAllows = [];
    private readonly ConcurrentBag<string> _unexpected = [];
    private readonly ConcurrentDictionary<string, int> _refusals = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private long _sequence;
    private long _unanswered;

    /// <summary>A load over <paramref name="trees"/>: a budgeted root and a budgeted child under it, each.</summary>
    public ManyTreesLoad(IReadOnlyList<(GrantCreatedResponse Root, GrantCreatedResponse Child)> trees)
    {
        _trees = trees;
        _revokedAt = new long[trees.Count];
        Array.Fill(_revokedAt, long.MaxValue);
        _rootAllows = new long[trees.Count];
        _childAllows = new long[trees.Count];
    }

    /// <summary>Requests sent so far (the sequence).</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>Delegations acknowledged with 201.</summary>
    public IReadOnlyCollection<string> Delegated => _delegated;

    /// <summary>Root ids of trees with a check allowed although it started after the tree's revocation returned (must stay empty).</summary>
    public IReadOnlyCollection<string> LateAllows => _lateAllows;

    /// <summary>Answers that were neither an answer of the model nor a fail-closed refusal (must stay empty).</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    /// <summary>Answers that acknowledged nothing (503 <c>authority_unavailable</c>, 409, 422), by kind and code.</summary>
    public IReadOnlyDictionary<string, int> Refusals => _refusals;

    /// <summary>Requests a killed silo never answered.</summary>
    public long Unanswered => Interlocked.Read(ref _unanswered);

    /// <summary>Checks allowed at tree <paramref name="t"/>'s root (each spends 1 there).</summary>
    public long RootAllows(int t) => Interlocked.Read(ref _rootAllows[t]);

    /// <summary>Checks allowed at tree <paramref name="t"/>'s child (each spends 1 there and at the root).</summary>
    public long ChildAllows(int t) => Interlocked.Read(ref _childAllows[t]);

    /// <summary>True once a revocation of tree <paramref name="t"/>'s root has returned.</summary>
    public bool IsRevoked(int t) => Volatile.Read(ref _revokedAt[t]) != long.MaxValue;

    /// <summary>Starts <paramref name="workers"/> workers, each going round the silos that still run.</summary>
    public void Start(IReadOnlyList<ClusterSilo> silos, int workers)
    {
        for (var w = 0; w < workers; w++)
        {
            var worker = w;
            _workers.Add(Task.Run(() => RunAsync(silos, worker)));
        }
    }

    /// <summary>
    /// Revokes tree <paramref name="t"/>'s root through a running silo, again (it is idempotent) until one returns 200
    /// (at most a minute), then takes its number from the sequence.
    /// </summary>
    public async Task RevokeAsync(IReadOnlyList<ClusterSilo> silos, int t)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(watch.Elapsed < RevokePatience, $"the revocation of tree {t} did not return within {RevokePatience}");
            var silo = Running(silos, attempt);
            try
            {
                using var response = await silo.PostAsync(
                    $"/v1/grants/{_trees[t].Root.Grant.Id}/revoke", new StatusChangeRequest("incident"), DelegationJsonContext.Default.StatusChangeRequest);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Volatile.Write(ref _revokedAt[t], Interlocked.Increment(ref _sequence));
                    return;
                }

                await RefusedAsync("revoke", response);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !silo.IsRunning)
            {
                Interlocked.Increment(ref _unanswered);
            }

            await Task.Delay(50); // bounded by RevokePatience: until the tree answers from its new silo
        }
    }

    /// <summary>Stops the workers and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    private static ClusterSilo Running(IReadOnlyList<ClusterSilo> silos, int turn)
    {
        var running = silos.Where(s => s.IsRunning).ToList();
        return running[turn % running.Count];
    }

    private async Task RunAsync(IReadOnlyList<ClusterSilo> silos, int worker)
    {
        for (var i = 0; !_stop.IsCancellationRequested && i < 1_000_000; i++)
        {
            var t = (worker * 7 + i) % _trees.Count;
            var silo = Running(silos, worker + i);
            try
            {
                if (i % 10 == 0)
                {
                    await DelegateAsync(silo, t, $"helper-{worker}-{i}");
                }
                else
                {
                    await CheckAsync(silo, t, atChild: i % 2 == 0);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !silo.IsRunning)
            {
                Interlocked.Increment(ref _unanswered);
            }
        }
    }

    private async Task DelegateAsync(ClusterSilo silo, int t, string agent)
    {
        using var response = await silo.DelegateAsync(_trees[t].Child.Grant.Id, agent, budget: 1, ttlSeconds: 600);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            _delegated.Add((await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.GrantCreatedResponse)).Grant.Id);
        }
        else
        {
            await RefusedAsync("delegate", response);
        }
    }

    private async Task CheckAsync(ClusterSilo silo, int t, bool atChild)
    {
        var started = Interlocked.Increment(ref _sequence);
        using var response = await silo.CheckAsync(atChild ? _trees[t].Child.Token : _trees[t].Root.Token, cost: 1);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await RefusedAsync("check", response);
            return;
        }

        var answer = await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.CheckResponse);
        if (answer.Decision == Decision.Allow)
        {
            Interlocked.Increment(ref (atChild ? _childAllows : _rootAllows)[t]);
            if (started > Volatile.Read(ref _revokedAt[t]))
            {
                _lateAllows.Add($"{_trees[t].Root.Grant.Id} (check {started}, revoked at {Volatile.Read(ref _revokedAt[t])})");
            }
        }
        else if (answer.Reason is not (DenyReason.BudgetExhausted or DenyReason.Revoked or DenyReason.AncestorRevoked))
        {
            _unexpected.Add($"{silo.Name} check: denied {answer.Reason}");
        }
    }

    // A revoked child's parent refuses delegations (422), as does a spent budget; a write may also meet the tree while
    // it moves to another silo (503) or, while two activations briefly race, lose too often (409).
    private async Task RefusedAsync(string kind, HttpResponseMessage response)
    {
        var (status, code) = await ClusterSilo.ReadProblemAsync(response);
        var expected = (status, code) switch
        {
            (HttpStatusCode.ServiceUnavailable, ErrorCodes.AuthorityUnavailable) => true,
            (HttpStatusCode.Conflict, ErrorCodes.Conflict) => kind != "check",
            (HttpStatusCode.UnprocessableEntity, _) => kind == "delegate",
            _ => false,
        };
        if (expected)
        {
            _refusals.AddOrUpdate($"{kind} {code}", 1, static (_, n) => n + 1);
        }
        else
        {
            _unexpected.Add($"{kind}: {(int)status} {code}");
        }
    }
}
