using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ClusterBench;
using Delegation.Api;
using Delegation.Grants;

// A bounded load generator for silos on loopback. Phases, each for a fixed time with a fixed number of
// workers (worker w talks to silo w % silos only): delegations created per second, checks with cost per second,
// then (with --revocations N > 0) up to N revocations sent through the first silo and timed until the second denies.
//   dotnet ClusterBench.dll <silo-url> [<silo-url>...] <admin-key> <enforcer-key> [seconds=10] [workers=16]
//                           [--phases delegations,checks,revocations] [--revocations 300]
var (positional, options) = Parse(args);
var urls = positional.TakeWhile(a => a.StartsWith("http", StringComparison.Ordinal)).Select(a => new Uri(a)).ToArray();
var rest = positional.Skip(urls.Length).ToList();
if (urls.Length < 1 || rest.Count < 2)
{
    Console.Error.WriteLine("usage: ClusterBench <silo-url> [<silo-url>...] <admin-key> <enforcer-key> [seconds=10] [workers=16] " +
        "[--phases delegations,checks,revocations] [--revocations 300]");
    return 2;
}

if (urls.FirstOrDefault(u => !u.IsLoopback) is { } remote)
{
    Console.Error.WriteLine($"{remote} is not a loopback address; this generator only loads silos on this machine.");
    return 2;
}

var (admin, enforcer) = (rest[0], rest[1]);
var seconds = rest.Count > 2 ? int.Parse(rest[2], CultureInfo.InvariantCulture) : 10;
var workers = rest.Count > 3 ? int.Parse(rest[3], CultureInfo.InvariantCulture) : 16;
var phases = (options.GetValueOrDefault("phases") ?? "delegations,checks,revocations").Split(',');
var revocations = int.Parse(options.GetValueOrDefault("revocations") ?? "300", CultureInfo.InvariantCulture);
using var http = new SiloHttp(workers + RevocationProbe.Pollers);
var json = DelegationJsonContext.Default;

// Set-up (not timed): one tree per worker, created through the worker's silo; budgets large enough never to run out.
var roots = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => http.PostAsync(
    urls[w % urls.Length], "/v1/grants", admin,
    JsonSerializer.Serialize(new CreateGrantRequest($"user-{w}", $"agent-{w}", ["tickets:*"], 1_000_000_000, TtlSeconds: 7200), json.CreateGrantRequest))));
var grants = roots.Select(r => JsonSerializer.Deserialize(r.Body, json.GrantCreatedResponse)!).ToArray();

if (phases.Contains("delegations"))
{
    var delegations = await PhaseAsync("delegations", async (w, i) =>
    {
        var body = JsonSerializer.Serialize(new DelegateRequest($"sub-{w}-{i}", ["tickets:read"], 10, TtlSeconds: 3600), json.DelegateRequest);
        var (status, _) = await http.PostAsync(urls[w % urls.Length], $"/v1/grants/{grants[w].Grant.Id}/delegations", admin, body);
        return status == 201;
    });
    Print($"delegations_per_second={delegations:F1}");
}

if (phases.Contains("checks"))
{
    var checks = await PhaseAsync("checks with cost", async (w, _) =>
    {
        var body = JsonSerializer.Serialize(new CheckRequest(grants[w].Token, null, "tickets:read", "projects/1", 1), json.CheckRequest);
        var (status, text) = await http.PostAsync(urls[w % urls.Length], "/v1/check", enforcer, body);
        return status == 200 && JsonSerializer.Deserialize(text, json.CheckResponse)!.Decision == Decision.Allow;
    });
    Print($"checks_with_cost_per_second={checks:F1}");
}

if (phases.Contains("revocations") && revocations > 0 && urls.Length < 2)
{
    Console.Error.WriteLine("revocations: skipped, they need two silos (sent through the first, checked through the second)");
}
else if (phases.Contains("revocations") && revocations > 0)
{
    // At most one sample per 0.2 s on average, whatever happens: a slow cluster gives fewer samples, not a longer run.
    var probe = new RevocationProbe(http, urls[0], urls[1], admin, enforcer);
    var result = await probe.RunAsync(revocations, TimeSpan.FromSeconds(Math.Max(30, revocations / 5)));
    var violations = result.Samples.Count(s => s.AllowedAfterReturn);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"revocations: {result.Samples.Count} samples in {result.Elapsed.TotalSeconds:F1} s, {violations} allowed at B after the revoke returned"));
    if (violations > 0)
    {
        throw new InvalidOperationException($"{violations} checks at B were allowed after the revoke had returned at A.");
    }

    Print($"revocation_samples={result.Samples.Count}");
    Print($"revocation_in_force_at_b_ms p50={result.Percentile(s => s.InForceAtB, 50):F2} p99={result.Percentile(s => s.InForceAtB, 99):F2} max={result.Percentile(s => s.InForceAtB, 100):F2}");
    Print($"revoke_returned_at_a_ms p50={result.Percentile(s => s.Returned, 50):F2} p99={result.Percentile(s => s.Returned, 99):F2} max={result.Percentile(s => s.Returned, 100):F2}");
    Print($"revocation_deny_at_b_before_a_replied={result.Samples.Count(s => s.InForceAtB < s.Returned)}");
}

return 0;

static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

static (List<string> Positional, Dictionary<string, string> Options) Parse(string[] args)
{
    var positional = new List<string>();
    var options = new Dictionary<string, string>();
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
        {
            options[args[i][2..]] = args[++i];
        }
        else
        {
            positional.Add(args[i]);
        }
    }

    return (positional, options);
}

async Task<double> PhaseAsync(string name, Func<int, int, Task<bool>> operation)
{
    var ok = 0L;
    var failed = 0L;
    var watch = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
    {
        for (var i = 0; watch.Elapsed < end; i++)
        {
            if (await operation(w, i))
            {
                Interlocked.Increment(ref ok);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        }
    })));
    var elapsed = watch.Elapsed.TotalSeconds;
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {ok} ok, {failed} failed in {elapsed:F2} s with {workers} workers on {urls.Length} silos"));
    if (failed > 0)
    {
        throw new InvalidOperationException($"{failed} {name} failed; the figure would not be honest.");
    }

    return ok / elapsed;
}
