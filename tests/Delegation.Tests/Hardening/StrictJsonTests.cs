using System.Net.Http.Headers;
using System.Text;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Hardening;

/// <summary>Bodies that are not valid UTF-8 are refused with 400 problem+json and change nothing, wherever the bad bytes sit.</summary>
public sealed class StrictJsonTests : IAsyncLifetime
{
    private readonly SiloFactory _silo = SiloFactory.With(new SiloFactoryOptions { Time = new ManualTimeProvider() });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Theory]
    [InlineData("C3 28")]
    [InlineData("C0 AF")]
    [InlineData("ED A0 80")]
    [InlineData("F8 88 80 80 80")]
    [InlineData("FF")]
    public async Task A_body_with_invalid_utf8_in_an_unknown_field_is_refused(string hex)
    {
        var bytes = Body("""{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"x":"#"}""", hex);

        await AssertRefusedAsync(bytes);
    }

    [Fact]
    public async Task A_body_with_invalid_utf8_in_a_known_field_is_refused()
    {
        await AssertRefusedAsync(Body("""{"user":"u#","agent":"a","scope":["docs:read"],"ttlSeconds":60}""", "C3 28"));
    }

    [Fact]
    public async Task A_body_with_invalid_utf8_in_a_key_is_refused()
    {
        await AssertRefusedAsync(Body("""{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"#":1}""", "80"));
    }

    private static byte[] Body(string json, string hex)
    {
        var at = json.IndexOf('#', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(json[..at]), .. Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), .. Encoding.UTF8.GetBytes(json[(at + 1)..])];
    }

    private async Task AssertRefusedAsync(byte[] body)
    {
        var head = await _silo.FeedHeadAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/grants") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestKeys.Issuer);

        using var response = await _silo.Http.SendAsync(request);

        await ProblemAssert.IsAsync(response, 400, "validation_failed");
        Assert.Equal(head, await _silo.FeedHeadAsync());
    }
}
