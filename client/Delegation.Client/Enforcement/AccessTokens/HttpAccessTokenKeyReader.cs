using System.Text.Json;
using Delegation.Api;

namespace Delegation.Client;

/// <summary>
/// Reads the authority's keys over HTTP: its RFC 8414 metadata (<c>/.well-known/oauth-authorization-server</c>) for
/// the issuer and the <c>jwks_uri</c>, then the JWKS.
/// </summary>
internal sealed class HttpAccessTokenKeyReader : IDisposable
{
    private const string MetadataPath = ".well-known/oauth-authorization-server";

    private readonly Uri _authority;
    private readonly HttpClient _http;

    public HttpAccessTokenKeyReader(Uri authority, HttpMessageHandler? handler, TimeSpan timeout)
    {
        _authority = authority.AbsoluteUri.EndsWith('/') ? authority : new Uri(authority.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = timeout;
    }

    public async Task<AccessTokenKeySet> ReadAsync(CancellationToken cancellationToken)
    {
        using var metadata = JsonDocument.Parse(await _http.GetStringAsync(new Uri(_authority, MetadataPath), cancellationToken).ConfigureAwait(false));
        var issuer = metadata.RootElement.GetProperty("issuer").GetString();
        var jwksUri = new Uri(metadata.RootElement.GetProperty("jwks_uri").GetString()!, UriKind.Absolute);
        return new AccessTokenKeySet(issuer, await _http.GetStringAsync(jwksUri, cancellationToken).ConfigureAwait(false));
    }

    public void Dispose() => _http.Dispose();
}
