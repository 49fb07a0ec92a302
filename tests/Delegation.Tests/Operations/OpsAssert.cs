using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Delegation.Api;

namespace Delegation.Tests.Operations;

/// <summary>Assertions and small helpers the operations tests share.</summary>
public static class OpsAssert
{
    /// <summary>Asserts that <paramref name="response"/> is a problem+json with <paramref name="status"/> and <paramref name="code"/>.</summary>
    public static async Task<ProblemResponse> ProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize(body, DelegationJsonContext.Default.ProblemResponse)!;
        Assert.Equal((status, code), (problem.Status, problem.Code));
        return problem;
    }

    /// <summary>A time as a query-string value (round-trip format, escaped).</summary>
    public static string Query(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    /// <summary>
    /// Waits, within a bound, until <paramref name="condition"/> holds; for state that a background loop of the silo
    /// (a feed follower, a stream's teardown) brings about. Fails with <paramref name="what"/> when it never does.
    /// </summary>
    public static Task EventuallyAsync(Func<Task<bool>> condition, string what) =>
        EventuallyAsync(condition, done => done, what);

    /// <summary>Reads until <paramref name="done"/> accepts what was read, within a bound; returns it, or fails showing the last value.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"Timed out waiting until {what}; last: {value}");
            await Task.Delay(10);
        }
    }
}
