using System.Collections.Concurrent;
using System.Net;
using Delegation.Api;
using Delegation.Grants;

namespace Delegation.Tests.Cluster;

/// <summary>
/// Load for the fault tests: workers that delegate under a root, revoke some of what they delegated, and check a
/// budgeted grant with cost, through the silos given, until stopped. It records only what was acknowledged (a 2xx
/// answer); every other answer must be a fail-closed 503 <c>authority_unavailable</c> or, from a killed silo, no
/// answer at all.
/// </summary>
public sealed class ClusterLoad
{
    private readonly ConcurrentBag<string> _delegated = [];
    private readonly ConcurrentBag<string> _revoked = [];
    private readonly ConcurrentDictionary<string, long> _allows = new();
    private readonly ConcurrentDictionary<string, int> _refusals = new();
    private readonly ConcurrentBag<string> _unexpected = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private long _unanswered;

    /// <summary>Delegations acknowledged with 201.</summary>
    public IReadOnlyCollection<string> Delegated => _delegated;

    /// <summary>Revocations acknowledged with 200.</summary>
    public IReadOnlyCollection<string> Revoked => _revoked;

    /// <summary>Allowed checks with cost 1, by silo.</summary>
    public IReadOnlyDictionary<string, long> Allows => _allows;

    /// <summary>Fail-closed refusals (503 authority_unavailable), by silo and kind.</summary>
    public IReadOnlyDictionary<string, int> Refusals => _refusals;

    /// <summary>Requests a killed silo never answered.</summary>
    public long Unanswered => Interlocked.Read(ref _unanswered);

    /// <summary>Answers that were neither acknowledged nor a fail-closed refusal (must stay empty).</summary>
    public IReadOnlyCollection<string> Unexpected => _unexpected;

    /// <summary>Starts <paramref name="workersPerSilo"/> workers on each silo.</summary>
    public void Start(IReadOnlyList<ClusterSilo> silos, string rootId, string spenderToken, int workersPerSilo = 2)
    {
        foreach (var silo in silos)
        {
            for (var w = 0; w < workersPerSilo; w++)
            {
                var worker = w;
                _workers.Add(Task.Run(() => RunAsync(silo, rootId, spenderToken, worker)));
            }
        }
    }

    /// <summary>Stops the workers and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    /// <summary>Total allowed checks.</summary>
    public long TotalAllows => _allows.Values.Sum();

    private async Task RunAsync(ClusterSilo silo, string rootId, string spenderToken, int worker)
    {
        for (var i = 0; !_stop.IsCancellationRequested && i < 100_000; i++)
        {
            try
            {
                if (i % 4 == 0)
                {
                    await DelegateAsync(silo, rootId, $"{silo.Name}-w{worker}-{i}", revoke: i % 12 == 0);
                }
                else
                {
                    await CheckAsync(silo, spenderToken);
                }
            }
            catch (HttpRequestException) when (!silo.IsRunning)
            {
                Interlocked.Increment(ref _unanswered);
                return;
            }
            catch (TaskCanceledException) when (!silo.IsRunning)
            {
                Interlocked.Increment(ref _unanswered);
                return;
            }
        }
    }

    private async Task DelegateAsync(ClusterSilo silo, string rootId, string agent, bool revoke)
    {
        using var response = await silo.DelegateAsync(rootId, agent, budget: null);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            await RefusedAsync(silo, "delegate", response);
            return;
        }

        var created = await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.GrantCreatedResponse);
        _delegated.Add(created.Grant.Id);
        if (revoke)
        {
            using var revoked = await silo.PostAsync(
                $"/v1/grants/{created.Grant.Id}/revoke", new StatusChangeRequest("load"), DelegationJsonContext.Default.StatusChangeRequest);
            if (revoked.StatusCode == HttpStatusCode.OK)
            {
                _revoked.Add(created.Grant.Id);
            }
            else
            {
                await RefusedAsync(silo, "revoke", revoked);
            }
        }
    }

    private async Task CheckAsync(ClusterSilo silo, string token)
    {
        using var response = await silo.CheckAsync(token, cost: 1);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await RefusedAsync(silo, "check", response);
            return;
        }

        var answer = await ClusterSilo.ReadOkAsync(response, DelegationJsonContext.Default.CheckResponse);
        if (answer.Decision == Decision.Allow)
        {
            _allows.AddOrUpdate(silo.Name, 1, static (_, n) => n + 1);
        }
        else
        {
            _unexpected.Add($"{silo.Name} check: denied {answer.Reason}");
        }
    }

    private async Task RefusedAsync(ClusterSilo silo, string kind, HttpResponseMessage response)
    {
        var (status, code) = await ClusterSilo.ReadProblemAsync(response);
        if (status == HttpStatusCode.ServiceUnavailable && code == ErrorCodes.AuthorityUnavailable)
        {
            _refusals.AddOrUpdate($"{silo.Name} {kind}", 1, static (_, n) => n + 1);
        }
        else
        {
            _unexpected.Add($"{silo.Name} {kind}: {(int)status} {code}");
        }
    }
}
