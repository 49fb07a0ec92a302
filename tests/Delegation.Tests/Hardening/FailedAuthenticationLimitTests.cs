using Delegation.Api;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Hardening;

/// <summary>
/// Failed authentications are limited per client address: past the allowance, a request with a credential gets 429
/// problem+json with Retry-After before its credential is examined (a right key too, so guessing teaches nothing), and
/// requests without a credential are not limited.
/// </summary>
public sealed class FailedAuthenticationLimitTests : IAsyncLifetime
{
    private const int Limit = 3;

    private readonly SiloFactory _silo = SiloFactory.With(new SiloFactoryOptions { FailedAuthenticationLimit = Limit });

    [Fact]
    public async Task Past_the_allowance_a_credential_from_that_address_gets_429_with_retry_after()
    {
        var before = await _silo.FeedHeadAsync();
        for (var i = 0; i < Limit; i++)
        {
            using var wrong = await GetAsync("/v1/stats", "Bearer not-a-key-of-this-silo-" + i);
            await ProblemAssert.IsAsync(wrong, 401, ErrorCodes.Unauthorized);
        }

        using var limited = await GetAsync("/v1/stats", "Bearer not-a-key-of-this-silo-x");
        using var forged = await GetAsync("/v1/grants/g_nope", "Bearer dgt_g_nope.c2VjcmV0");
        using var right = await GetAsync("/v1/stats", "Bearer " + TestKeys.Admin);
        using var probe = await GetAsync("/healthz", null);

        await ProblemAssert.IsAsync(limited, 429, ErrorCodes.TooManyFailedAuthentications);
        await ProblemAssert.IsAsync(forged, 429, ErrorCodes.TooManyFailedAuthentications);
        await ProblemAssert.IsAsync(right, 429, ErrorCodes.TooManyFailedAuthentications);
        Assert.True(limited.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal(200, (int)probe.StatusCode);
        Assert.Equal(before, await _silo.FeedHeadAsync());
    }

    [Fact]
    public async Task Successful_authentications_spend_nothing()
    {
        for (var i = 0; i < Limit * 5; i++)
        {
            using var right = await GetAsync("/v1/stats", "Bearer " + TestKeys.Issuer);
            Assert.Equal(200, (int)right.StatusCode);
        }

        using var wrong = await GetAsync("/v1/stats", "Bearer not-a-key-of-this-silo-0");
        await ProblemAssert.IsAsync(wrong, 401, ErrorCodes.Unauthorized);
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private async Task<HttpResponseMessage> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _silo.Http.SendAsync(request);
    }
}
