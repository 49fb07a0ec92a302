using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace Delegation.Client;

public sealed partial class DelegationClient
{
    private static JsonContent Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonContent.Create(value, typeInfo);

    private async Task<T> SendAsync<T>(
        HttpMethod method,
        string uri,
        HttpContent? content,
        JsonTypeInfo<T> responseType,
        CancellationToken cancellationToken)
    {
        using var request = CreateRequest(method, uri, content);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false)
            ?? throw ThrowHelper.EmptyBody(response, typeof(T));
    }

    private async Task SendNoContentAsync(HttpMethod method, string uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(method, uri, content);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string uri, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Authorization = _authorization;
        return request;
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpRequestMessage request,
        HttpCompletionOption completion,
        CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ThrowHelper.IsUnavailable(e, cancellationToken))
        {
            throw ThrowHelper.Unavailable(BaseAddress, e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ThrowHelper.FromResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }
}
