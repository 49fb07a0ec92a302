using System.Net.Http.Headers;

namespace Delegation.Client;

/// <summary>
/// Typed client for the delegation authority's HTTP API (v1). Every call but <see cref="HealthAsync"/> sends the
/// bearer credential this instance was created with: an admin, issuer or enforcer key, or a grant token
/// (<c>dgt_...</c>) when a holder acts with its own grant.
/// </summary>
/// <remarks>
/// Failures surface as one <see cref="DelegationApiException"/> subclass per kind; a silo that cannot be reached,
/// or does not answer within the <see cref="HttpClient"/>'s timeout, surfaces as
/// <see cref="DelegationUnavailableException"/>. Instances are thread-safe and cheap; they never dispose the
/// <see cref="HttpClient"/>, which belongs to whoever created it (usually <c>IHttpClientFactory</c>).
/// </remarks>
public sealed partial class DelegationClient
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _authorization;

    /// <summary>Creates a client that sends <paramref name="credential"/> as its bearer credential.</summary>
    /// <param name="httpClient">
    /// An <see cref="HttpClient"/> whose <see cref="HttpClient.BaseAddress"/> is a silo URL, e.g.
    /// <c>http://localhost:5080/</c>. A base address with a path must end with <c>/</c>, as relative URIs require.
    /// </param>
    /// <param name="credential">An admin, issuer or enforcer key, or a grant token; without the <c>Bearer</c> prefix.</param>
    /// <exception cref="ArgumentException">The base address is missing, or the credential is empty or contains whitespace.</exception>
    public DelegationClient(HttpClient httpClient, string credential)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        if (httpClient.BaseAddress is null)
        {
            throw new ArgumentException("The HttpClient needs a BaseAddress: the silo URL, e.g. http://localhost:5080/.", nameof(httpClient));
        }

        _http = httpClient;
        _authorization = new AuthenticationHeaderValue("Bearer", CredentialRules.EnsureValid(credential));
    }

    /// <summary>The silo URL every call is sent to.</summary>
    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary>
    /// A client that shares this one's <see cref="HttpClient"/> but sends <paramref name="credential"/>, e.g. for a
    /// holder acting with the grant token it was given.
    /// </summary>
    /// <param name="credential">The bearer credential the new client sends.</param>
    /// <returns>A new client; this one is unchanged.</returns>
    public DelegationClient WithCredential(string credential) => new(_http, credential);

    /// <summary>Asks <c>GET /healthz</c> (unauthenticated) whether the silo is up.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// True when the silo answered with a success status; false when it answered otherwise, could not be reached,
    /// or did not answer in time. A probe wants a verdict, not an exception.
    /// </returns>
    public async Task<bool> HealthAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Routes.Health);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (ThrowHelper.IsUnavailable(e, cancellationToken))
        {
            return false;
        }
    }
}
