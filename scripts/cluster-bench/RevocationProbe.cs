using System.Diagnostics;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;

namespace ClusterBench;

/// <summary>
/// A revocation sent through silo A, in force at silo B. Each sample: a fresh root grant created through A (not
/// timed); <see cref="Pollers"/> tasks check its token through B back to back; once B has allowed, the revoke is sent
/// to A. The sample is the time from sending the revoke to the arrival of B's first deny, beside the time the revoke
/// itself took to return. A check that was sent to B after the revoke had returned and was still allowed would break
/// the product's promise: it is counted, and the generator then refuses to report.
/// </summary>
internal sealed class RevocationProbe
{
    /// <summary>Concurrent pollers at B: B's first deny is seen within about a quarter of one check's round trip.</summary>
    public const int Pollers = 4;

    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(5);
    private static readonly DelegationJsonContext Json = DelegationJsonContext.Default;

    private readonly SiloHttp _http;
    private readonly Uri _siloA;
    private readonly Uri _siloB;
    private readonly string _admin;
    private readonly string _enforcer;

    public RevocationProbe(SiloHttp http, Uri siloA, Uri siloB, string admin, string enforcer)
    {
        (_http, _siloA, _siloB, _admin, _enforcer) = (http, siloA, siloB, admin, enforcer);
    }

    /// <summary>Takes up to <paramref name="count"/> samples, one after the other, stopping early after <paramref name="limit"/>.</summary>
    public async Task<RevocationResult> RunAsync(int count, TimeSpan limit)
    {
        var samples = new List<RevocationSample>(count);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count && watch.Elapsed < limit; i++)
        {
            samples.Add(await SampleAsync(i));
        }

        return new RevocationResult(samples, watch.Elapsed);
    }

    private async Task<RevocationSample> SampleAsync(int index)
    {
        var created = await _http.PostAsync(_siloA, "/v1/grants", _admin, JsonSerializer.Serialize(
            new CreateGrantRequest($"rev-user-{index}", $"rev-agent-{index}", ["tickets:*"], TtlSeconds: 3600), Json.CreateGrantRequest));
        if (created.Status != 201)
        {
            throw new InvalidOperationException($"Creating the grant of revocation sample {index} answered {created.Status}: {created.Body}");
        }

        var grant = JsonSerializer.Deserialize(created.Body, Json.GrantCreatedResponse)!;
        var check = JsonSerializer.Serialize(new CheckRequest(grant.Token, null, "tickets:read", "projects/1"), Json.CheckRequest);
        var state = new PollState();
        using var stop = new CancellationTokenSource(SampleTimeout);
        var pollers = Enumerable.Range(0, Pollers).Select(_ => Task.Run(() => PollAsync(check, state, stop.Token))).ToArray();

        await state.FirstAllow.Task.WaitAsync(SampleTimeout);
        var sent = Stopwatch.GetTimestamp();
        var revoke = await _http.PostAsync(_siloA, $"/v1/grants/{grant.Grant.Id}/revoke", _admin, null);
        var returned = Stopwatch.GetTimestamp();
        if (revoke.Status != 200)
        {
            throw new InvalidOperationException($"The revoke of sample {index} answered {revoke.Status}: {revoke.Body}");
        }

        await Task.WhenAll(pollers).WaitAsync(SampleTimeout);
        if (state.Failure is { } failure)
        {
            throw new InvalidOperationException($"Revocation sample {index}: {failure}");
        }

        var denied = Interlocked.Read(ref state.FirstDeny);
        return new RevocationSample(
            Stopwatch.GetElapsedTime(sent, denied),
            Stopwatch.GetElapsedTime(sent, returned),
            AllowedAfterReturn: Interlocked.Read(ref state.LastAllowSent) > returned);
    }

    private async Task PollAsync(string check, PollState state, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && Interlocked.Read(ref state.FirstDeny) == long.MaxValue)
        {
            var sent = Stopwatch.GetTimestamp();
            var (status, body) = await _http.PostAsync(_siloB, "/v1/check", _enforcer, check);
            var received = Stopwatch.GetTimestamp();
            var answer = status == 200 ? JsonSerializer.Deserialize(body, Json.CheckResponse) : null;
            if (answer is null)
            {
                state.Failure ??= $"a check at B answered {status}: {body}";
                return;
            }

            if (answer.Decision == Decision.Allow)
            {
                Max(ref state.LastAllowSent, sent);
                state.FirstAllow.TrySetResult();
                continue;
            }

            if (answer.Reason != DenyReason.Revoked || !state.FirstAllow.Task.IsCompleted)
            {
                state.Failure ??= $"B denied with {answer.Reason} before or instead of the revocation";
            }

            Min(ref state.FirstDeny, received);
            return;
        }

        if (Interlocked.Read(ref state.FirstDeny) == long.MaxValue)
        {
            state.Failure ??= $"B still allowed {SampleTimeout.TotalSeconds:F0} s after the grant was created";
        }
    }

    private static void Max(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static void Min(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value < seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    /// <summary>What the pollers of one sample share.</summary>
    private sealed class PollState
    {
        public long FirstDeny = long.MaxValue;
        public long LastAllowSent = long.MinValue;
        public volatile string? Failure;
        public TaskCompletionSource FirstAllow { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
