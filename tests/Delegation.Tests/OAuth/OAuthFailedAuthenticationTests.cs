using System.Net;
using Delegation.Tests.Enforcement;
using Duende.IdentityModel.Client;

namespace Delegation.Tests.OAuth;

/// <summary>
/// The OAuth endpoints authenticate their clients themselves (Basic client credentials): a valid Basic header is not a
/// failed Bearer authentication, while wrong client credentials spend the address's allowance like a wrong key.
/// </summary>
public sealed class OAuthFailedAuthenticationTests
{
    [Fact]
    public async Task Valid_basic_client_credentials_never_spend_the_allowance_and_wrong_ones_do()
    {
        var oauth = new OAuthFixture();
        await oauth.InitializeAsync();
        try
        {
            var root = await oauth.RootAsync();
            for (var i = 0; i < 30; i++)
            {
                var answer = await IntrospectAsync(oauth, root.Token, TestSilo.EnforcerKey);
                Assert.True(answer.IsActive, $"introspection {i + 1}: {answer.HttpStatusCode} {answer.Error}");
            }

            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++)
            {
                statuses.Add((await IntrospectAsync(oauth, root.Token, "wrong-key-of-nobody-" + i)).HttpStatusCode);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        }
        finally
        {
            await oauth.DisposeAsync();
        }
    }

    private static Task<TokenIntrospectionResponse> IntrospectAsync(OAuthFixture oauth, string token, string key) =>
        oauth.Http.IntrospectTokenAsync(new TokenIntrospectionRequest { Address = oauth.IntrospectionEndpoint, ClientId = "gateway", ClientSecret = key, Token = token });
}
