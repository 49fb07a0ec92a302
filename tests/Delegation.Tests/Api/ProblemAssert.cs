using System.Net.Http.Json;
using Delegation.Api;

namespace Delegation.Tests.Api;

/// <summary>Asserts that a raw response is the documented problem+json.</summary>
internal static class ProblemAssert
{
    public static async Task<ProblemResponse> IsAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync(DelegationJsonContext.Default.ProblemResponse);
        Assert.NotNull(problem);
        Assert.Equal((code, (int?)status), (problem.Code, problem.Status));
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail), "A problem says what was wrong with this request.");
        if (status == 401)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }

        return problem;
    }
}
