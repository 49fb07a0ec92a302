using System.Net.Http.Headers;

namespace Delegation.LoadTest.Scenarios;

/// <summary>
/// Raw HTTP calls with pre-serialized bodies, identical for the endpoint measured and its baseline, so the ratio
/// between them is what the server does differently and nothing the client does.
/// </summary>
public static class HttpOperations
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>What an allowed check's answer contains.</summary>
    public static ReadOnlyMemory<byte> AllowMarker { get; } = "\"decision\":\"allow\""u8.ToArray();

    /// <summary>POSTs <paramref name="body"/> and succeeds on a 2xx whose body contains <paramref name="expected"/>.</summary>
    public static async ValueTask<bool> PostAsync(
        HttpClient http, string path, byte[] body, AuthenticationHeaderValue? authorization, ReadOnlyMemory<byte> expected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return expected.IsEmpty || answer.AsSpan().IndexOf(expected.Span) >= 0;
    }

    /// <summary>GETs <paramref name="path"/> with <paramref name="authorization"/> and succeeds on a 2xx (the body read whole).</summary>
    public static async ValueTask<bool> GetAsync(HttpClient http, string path, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    /// <summary>GETs <paramref name="path"/> and succeeds on a 2xx.</summary>
    public static async ValueTask<bool> GetAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }
}
