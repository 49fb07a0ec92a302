using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;

// A bounded load generator for two silos on loopback: delegations created per second, then checks with cost per
// second, each phase for a fixed time with a fixed number of workers; worker w talks to silo w % 2 only.
//   dotnet run --project scripts/cluster-bench -c Release -- <siloA> <siloB> <adminKey> <enforcerKey> [seconds] [workers]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: ClusterBench <siloA-url> <siloB-url> <admin-key> <enforcer-key> [seconds=10] [workers=16]");
    return 2;
}

var silos = new[] { new Uri(args[0]), new Uri(args[1]) };
foreach (var silo in silos)
{
    if (!silo.IsLoopback)
    {
        Console.Error.WriteLine($"{silo} is not a loopback address; this generator only loads silos on this machine.");
        return 2;
    }
}

var (admin, enforcer) = (args[2], args[3]);
var seconds = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10;
var workers = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 16;
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers }) { Timeout = TimeSpan.FromSeconds(30) };
var json = DelegationJsonContext.Default;

// Set-up (not timed): one tree per worker, created through the worker's silo; budgets large enough never to run out.
var roots = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => SendAsync(
    silos[w % 2], "/v1/grants", admin,
    JsonSerializer.Serialize(new CreateGrantRequest($"user-{w}", $"agent-{w}", ["tickets:*"], 1_000_000_000, TtlSeconds: 7200), json.CreateGrantRequest))));
var grants = roots.Select(r => JsonSerializer.Deserialize(r.Body, json.GrantCreatedResponse)!).ToArray();

var delegations = await PhaseAsync("delegations", async (w, i) =>
{
    var body = JsonSerializer.Serialize(new DelegateRequest($"sub-{w}-{i}", ["tickets:read"], 10, TtlSeconds: 3600), json.DelegateRequest);
    var (status, _) = await SendAsync(silos[w % 2], $"/v1/grants/{grants[w].Grant.Id}/delegations", admin, body);
    return status == 201;
});

var checks = await PhaseAsync("checks with cost", async (w, _) =>
{
    var body = JsonSerializer.Serialize(new CheckRequest(grants[w].Token, null, "tickets:read", "projects/1", 1), json.CheckRequest);
    var (status, text) = await SendAsync(silos[w % 2], "/v1/check", enforcer, body);
    return status == 200 && JsonSerializer.Deserialize(text, json.CheckResponse)!.Decision == Decision.Allow;
});

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delegations_per_second={delegations:F1}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checks_with_cost_per_second={checks:F1}"));
return 0;

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
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {ok} ok, {failed} failed in {elapsed:F2} s with {workers} workers"));
    if (failed > 0)
    {
        throw new InvalidOperationException($"{failed} {name} failed; the figure would not be honest.");
    }

    return ok / elapsed;
}

async Task<(int Status, string Body)> SendAsync(Uri silo, string path, string credential, string body)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(silo, path))
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
    using var response = await http.SendAsync(request);
    return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
}
