using System.Buffers.Text;
using System.Text.Json;
using Delegation.Api;
using Delegation.Tests.Enforcement;
using Duende.IdentityModel.Client;

namespace Delegation.Tests.OAuth;

/// <summary>A real silo on Kestrel for the OAuth tests, and Duende.IdentityModel's client pointed at it.</summary>
public sealed class OAuthFixture : IAsyncLifetime
{
    public TestSilo Silo { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string TokenEndpoint => new Uri(Silo.Url, "oauth2/token").AbsoluteUri;

    public string IntrospectionEndpoint => new Uri(Silo.Url, "oauth2/introspect").AbsoluteUri;

    public string RevocationEndpoint => new Uri(Silo.Url, "oauth2/revoke").AbsoluteUri;

    public async Task InitializeAsync()
    {
        Silo = await TestSilo.StartAsync();
        Http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Silo.DisposeAsync();
    }

    /// <summary>Exchanges <paramref name="subjectToken"/> with Duende's token client; <paramref name="parameters"/> are our extensions.</summary>
    public Task<TokenResponse> ExchangeAsync(string subjectToken, string? scope = null, string audience = "tools", params (string Name, string Value)[] parameters)
    {
        var request = new TokenExchangeTokenRequest
        {
            Address = TokenEndpoint,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            SubjectToken = subjectToken,
            SubjectTokenType = "urn:ietf:params:oauth:token-type:access_token",
            Scope = scope,
            Audience = audience,
        };
        foreach (var (name, value) in parameters)
        {
            request.Parameters.Add(name, value);
        }

        return Http.RequestTokenExchangeTokenAsync(request);
    }

    /// <summary>A root grant for alice's support-bot with a budget of 10 (an hour).</summary>
    public Task<GrantCreatedResponse> RootAsync(long? budget = 10) => Silo.GrantAsync(budget);

    /// <summary>The JSON payload of a compact JWT.</summary>
    public static JsonElement Payload(string jwt) => Part(jwt, 1);

    /// <summary>The RFC 6749 <c>error</c> of an error body.</summary>
    public static string? Error(string? raw) => JsonDocument.Parse(raw!).RootElement.GetProperty("error").GetString();

    /// <summary>The JOSE header of a compact JWT.</summary>
    public static JsonElement Header(string jwt) => Part(jwt, 0);

    private static JsonElement Part(string jwt, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[index])).RootElement.Clone();
}
