using System.Net.Http.Headers;
using System.Text;
using Delegation.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>The body limit over a real socket, where Kestrel enforces it too and a body can arrive chunked.</summary>
public sealed class KestrelBodyLimitTests : IAsyncLifetime
{
    private const int Limit = 2048;
    private readonly SiloFactory _silo = SiloFactory.With(new SiloFactoryOptions { Kestrel = true, MaxRequestBodyBytes = Limit });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_oversize_body_is_refused_with_413_whether_or_not_its_length_is_announced(bool chunked)
    {
        var json = """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60}""" + new string(' ', Limit);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/grants")
        {
            Content = chunked ? new UnsizedContent(json) : new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Issuer);

        // A plain client: the factory's own handlers buffer request bodies (to replay them on redirects).
        using var http = new HttpClient { BaseAddress = _silo.Http.BaseAddress };
        using var response = await http.SendAsync(request);

        Assert.Equal(chunked, request.Content.Headers.ContentLength is null);
        Assert.NotEqual("localhost", _silo.Http.BaseAddress!.Host);
        await ProblemAssert.IsAsync(response, 413, ErrorCodes.PayloadTooLarge);
        Assert.Equal(0, await _silo.FeedHeadAsync());
    }
}
