using System.Net.Http.Headers;
using System.Text;

namespace ClusterBench;

/// <summary>POSTs JSON to the silos over one keep-alive <see cref="HttpClient"/>; loopback silos only.</summary>
internal sealed class SiloHttp : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>A client that keeps up to <paramref name="connectionsPerSilo"/> connections open to each silo.</summary>
    public SiloHttp(int connectionsPerSilo) =>
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connectionsPerSilo }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>POSTs <paramref name="body"/> (JSON, or nothing) to <paramref name="path"/> on <paramref name="silo"/>.</summary>
    public async Task<(int Status, string Body)> PostAsync(Uri silo, string path, string credential, string? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(silo, path))
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        using var response = await _http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
