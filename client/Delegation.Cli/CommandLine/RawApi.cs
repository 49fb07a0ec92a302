using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Delegation.Api;
using Delegation.Client;

namespace Delegation.Cli.CommandLine;

/// <summary>
/// GET calls the typed <see cref="DelegationClient"/> does not cover yet (<c>/v1/audit</c>, as-of reads with <c>?at=</c>), with
/// the client's failure semantics: a refusal is a <see cref="DelegationApiException"/> carrying the problem's code,
/// no answer is a <see cref="DelegationUnavailableException"/>.
/// </summary>
internal static class RawApi
{
    /// <summary>GETs <paramref name="relativeUri"/> (no leading '/') and reads its JSON answer.</summary>
    public static async Task<T> GetAsync<T>(CliSession session, string relativeUri, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, relativeUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Credential());
        using var response = await SendAsync(session, request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RefusalAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"The silo answered GET /{relativeUri} with an empty body.");
    }

    private static async Task<HttpResponseMessage> SendAsync(CliSession session, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DelegationUnavailableException(
                $"The delegation authority at {session.Url} could not be reached or did not answer in time ({ErrorCodes.AuthorityUnavailable}).",
                ErrorCodes.AuthorityUnavailable,
                innerException: e);
        }
    }

    private static async Task<DelegationApiException> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        ProblemResponse? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(DelegationJsonContext.Default.ProblemResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // Not problem+json (a proxy's page, say): the status still says what happened.
        }

        var code = problem?.Code ?? (status is 502 or 503 or 504 ? ErrorCodes.AuthorityUnavailable : $"http_{status}");
        var detail = problem?.Detail ?? response.ReasonPhrase;
        var message = $"The delegation authority answered {status} ({code}): {detail}";
        return status is 502 or 503 or 504
            ? new DelegationUnavailableException(message, code, status, detail, problem)
            : new DelegationApiException(message, code, status, detail, problem);
    }
}
