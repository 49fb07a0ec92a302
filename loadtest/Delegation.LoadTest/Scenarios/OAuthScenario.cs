using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Delegation.Api;
using Delegation.Client;
using Delegation.LoadTest.Cli;
using Delegation.LoadTest.Hosting;
using Delegation.LoadTest.Reporting;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// <c>oauth</c>: RFC 8693 token exchanges per second over HTTP; the enforcer's JWT check (offline ES256 verification
/// plus the near-cache revocation check of the token's grant) vs plain JWT validation on the same threads; and RFC 7662
/// introspection vs <c>POST /v1/check</c> over HTTP, interleaved.
/// </summary>
public static class OAuthScenario
{
    private const string Audience = "tools";
    private const string TokenExchangeType = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private static readonly MediaTypeHeaderValue Form = new("application/x-www-form-urlencoded");

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var common = new CommonOptions(defaultConcurrency: 16, defaultDurationSeconds: 8);
        var chains = new Option<int>("--chains") { Description = "Grant chains used round-robin.", DefaultValueFactory = _ => 64 };
        var command = new Command("oauth", "Token exchanges/s; JWT verify + near-cache check vs plain JWT validation; introspection vs POST /v1/check.");
        common.AddTo(command);
        command.Add(chains);
        command.SetAction((result, ct) =>
        {
            var settings = common.Read(result) with { Mode = "closed" };
            var c = result.GetValue(chains);
            return ScenarioRunner.RunAsync(
                "oauth",
                "OAuth: token exchange, JWT checks at the enforcer, introspection",
                settings,
                new() { ["chains"] = c.ToString(CultureInfo.InvariantCulture), ["depth"] = "3", ["threads"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) },
                ctx => RunAsync(ctx, c),
                ct);
        });
        return command;
    }

    private static async Task RunAsync(ScenarioContext ctx, int chains)
    {
        var settings = ctx.Settings;
        await using var target = await ctx.StepAsync("starting the silo", _ => SiloTarget.OpenAsync(settings.Store, settings.Url, settings.AdminKey)).ConfigureAwait(false);
        var leaves = await ctx.StepAsync($"creating {chains} chains of depth 3", ct => Fixtures.CreateChainsAsync(GrantWriter.Over(target.Admin()), chains, 3, null, ct)).ConfigureAwait(false);
        var http = target.CreateHttpClient(settings.Concurrency);
        var jwts = await ctx.StepAsync("exchanging each leaf's token for a JWT", ct => MintAsync(http, leaves.Select(l => l.Token), ct)).ConfigureAwait(false);
        var next = new long[2 * 1024 + 1];

        // 1. Token exchanges that create a delegation (a store append each), and exchanges for the subject's own grant.
        var delegating = leaves.Select(l => FormBody(("grant_type", TokenExchangeType), ("subject_token", l.Token), ("subject_token_type", AccessTokenType),
            ("audience", Audience), ("agent", "loadtest-sub"), ("scope", "tickets:read@projects/**"), ("expires_in", "600"))).ToArray();
        var minting = leaves.Select(l => FormBody(("grant_type", TokenExchangeType), ("subject_token", l.Token), ("subject_token_type", AccessTokenType), ("audience", Audience))).ToArray();
        await ctx.MeasureInterleavedAsync(
            settings.Closed(),
            ("POST /oauth2/token, JWT for the subject's grant", (w, ct) => PostFormAsync(http, "oauth2/token", minting[(int)(next[w]++ % minting.Length)], null, "\"access_token\""u8.ToArray(), ct)),
            ("POST /oauth2/token, exchange creating a delegation", (w, ct) => PostFormAsync(http, "oauth2/token", delegating[(int)(next[w]++ % delegating.Length)], null, "\"grant_token\""u8.ToArray(), ct))).ConfigureAwait(false);

        // 2. Introspection vs the check API, same connection pool, same key.
        var auth = new AuthenticationHeaderValue("Bearer", target.EnforcerKey);
        var checks = leaves.Select(l => JsonSerializer.SerializeToUtf8Bytes(new CheckRequest(l.Token, null, Fixtures.Action, Fixtures.Resource), DelegationJsonContext.Default.CheckRequest)).ToArray();
        var introspectGrantToken = leaves.Select(l => FormBody(("token", l.Token))).ToArray();
        var introspectJwt = jwts.Select(j => FormBody(("token", j))).ToArray();
        var active = "\"active\":true"u8.ToArray();
        await ctx.MeasureInterleavedAsync(
            settings.Closed(),
            ("POST /v1/check (baseline)", (w, ct) => HttpOperations.PostAsync(http, "v1/check", checks[(int)(next[w]++ % checks.Length)], auth, HttpOperations.AllowMarker, ct)),
            ("POST /oauth2/introspect, grant token", (w, ct) => PostFormAsync(http, "oauth2/introspect", introspectGrantToken[(int)(next[w]++ % introspectGrantToken.Length)], auth, active, ct)),
            ("POST /oauth2/introspect, JWT", (w, ct) => PostFormAsync(http, "oauth2/introspect", introspectJwt[(int)(next[w]++ % introspectJwt.Length)], auth, active, ct))).ConfigureAwait(false);

        // 3. In-process, on threads: plain ES256 validation vs the enforcer's JWT check vs its grant-token check.
        await using var enforcer = await ctx.StepAsync("starting an enforcer that accepts JWTs", ct => StartEnforcerAsync(target, ct)).ConfigureAwait(false);
        var tokens = leaves.Select(l => l.Token).ToArray();
        foreach (var token in tokens.Concat(jwts))
        {
            if (!(await enforcer.CheckAsync(token, Fixtures.Action, Fixtures.Resource, 0, ctx.Cancellation).ConfigureAwait(false)).IsAllowed)
            {
                throw new InvalidOperationException("A fixture token was denied by the enforcer.");
            }
        }

        using var plain = new JwtBaseline(TimeProvider.System);
        var measured = await ctx.MeasureThreadsInterleavedAsync(
            settings.Closed(Environment.ProcessorCount),
            1,
            ("ES256 JWT validation alone (baseline)", _ => plain.Validate(Fixtures.Action)),
            ("Enforcer.CheckAsync(JWT): verify + near-cache", w => Enforcers.Wait(enforcer.CheckAsync(jwts[(int)(next[w]++ % jwts.Length)], Fixtures.Action, Fixtures.Resource)).IsAllowed),
            ("Enforcer.CheckAsync(dgt_): near-cache hit", w => Enforcers.Wait(enforcer.CheckAsync(tokens[(int)(next[w]++ % tokens.Length)], Fixtures.Action, Fixtures.Resource)).IsAllowed)).ConfigureAwait(false);
        ctx.Report.Facts.Add(new Fact("JWT verify + near-cache / plain JWT validation", measured[1].ThroughputRatio ?? double.NaN, "x", "throughput ratio on the same threads"));

        ctx.Report.Notes.Add("Exchanges: the subject token is a leaf's grant token (verified by its SHA-256 hash in the tree grain); 'creating a delegation' appends a grant_delegated event to the store and answers the JWT and the new grant's token; 'JWT for the subject's grant' reads the chain and signs only.");
        ctx.Report.Notes.Add("Introspection and check send the same enforcer key and the same leaf grant token over the same keep-alive pool; introspection reads the grant's view and chain (two grain calls) and writes the RFC 7662 answer, a check is one grain call.");
        ctx.Report.Notes.Add("The JWT rows use Microsoft.IdentityModel.JsonWebTokens (ES256, P-256): the baseline validates signature, issuer, audience and lifetime of a JWT signed by a key it holds; the enforcer's row does the same against the silo's JWKS and then decides the token's grant from its near-cache, so a revoked grant's JWT is denied as soon as the feed says so.");
        ctx.Report.Notes.Add("Client and silo share the process and its cores.");
    }

    private static async Task<Enforcer> StartEnforcerAsync(SiloTarget target, CancellationToken cancellationToken)
    {
        var options = new EnforcerOptions { SiloUrls = [target.BaseAddress], Credential = target.EnforcerKey, Name = "loadtest-oauth" };
        options.AccessTokens.Audience = Audience;
        var enforcer = new Enforcer(options);
        await enforcer.StartAsync(cancellationToken).ConfigureAwait(false);
        await enforcer.WaitForFeedAsync(0, cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return enforcer;
    }

    private static async Task<string[]> MintAsync(HttpClient http, IEnumerable<string> grantTokens, CancellationToken cancellationToken)
    {
        var jwts = new List<string>();
        foreach (var token in grantTokens)
        {
            using var content = new ByteArrayContent(FormBody(("grant_type", TokenExchangeType), ("subject_token", token), ("subject_token_type", AccessTokenType), ("audience", Audience)));
            content.Headers.ContentType = Form;
            using var response = await http.PostAsync("oauth2/token", content, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            jwts.Add(body.RootElement.GetProperty("access_token").GetString()!);
        }

        return [.. jwts];
    }

    private static byte[] FormBody(params (string Name, string Value)[] fields) =>
        Encoding.ASCII.GetBytes(string.Join('&', fields.Select(f => Uri.EscapeDataString(f.Name) + "=" + Uri.EscapeDataString(f.Value))));

    private static async ValueTask<bool> PostFormAsync(
        HttpClient http, string path, byte[] body, AuthenticationHeaderValue? authorization, ReadOnlyMemory<byte> expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Form;
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return answer.AsSpan().IndexOf(expected.Span) >= 0;
    }
}
