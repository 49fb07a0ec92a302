using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;
using Delegation.Tests.Api;
using Delegation.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Delegation.Tests.Fuzz;

/// <summary>
/// Generated and mutated requests at every endpoint with every kind of credential: never a 5xx; every error a
/// problem+json with a documented code; and a refused request changes nothing. A fixed budget of cases per run; on a
/// failure FsCheck prints the case and the seed (<c>[Property(Replay = "...")]</c> replays it).
/// </summary>
public sealed class ApiFuzzTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private static readonly HashSet<string> KnownCodes = typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    [Property(Arbitrary = [typeof(FuzzGenerators)], MaxTest = 1000)]
    public Property No_request_gets_a_5xx_every_error_is_a_known_problem_and_a_refused_request_changes_nothing(FuzzRequest request) =>
        Prop.ToProperty(Task.Run(() => CheckAsync(request)).GetAwaiter().GetResult());

    private async Task<bool> CheckAsync(FuzzRequest fuzz)
    {
        var before = await fixture.SnapshotAsync();
        using var response = await SendAsync(fuzz);
        var status = (int)response.StatusCode;
        if (status < 400)
        {
            // Not read: an accepted feed request is a stream that never ends; disposing the response closes it.
            return true;
        }

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status < 500, $"{status} for {fuzz}: {body}");

        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{status} without problem+json for {fuzz}: {body}");
        var problem = JsonSerializer.Deserialize(body, DelegationJsonContext.Default.ProblemResponse);
        Assert.True(problem?.Code is { } code && KnownCodes.Contains(code) && problem.Status == status, $"Unknown problem for {fuzz}: {body}");
        Assert.True(before == await fixture.SnapshotAsync(), $"A refused request ({status} {problem!.Code}) changed the store: {fuzz}");
        return true;
    }

    private async Task<HttpResponseMessage> SendAsync(FuzzRequest fuzz)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), new Uri(Fill(fuzz.Path), UriKind.Relative));
        if (fuzz.Body is { } bytes)
        {
            // Placeholders are filled in bodies that are text; a body of bytes that are not UTF-8 goes as it is.
            request.Content = new ByteArrayContent(System.Text.Unicode.Utf8.IsValid(bytes) ? Encoding.UTF8.GetBytes(Fill(Encoding.UTF8.GetString(bytes))) : bytes);
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        if (Authorization(fuzz.Credential) is { } header)
        {
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(header);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await fixture.Silo.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }

    private string? Authorization(string credential) => credential switch
    {
        "none" => null,
        "admin" => "Bearer " + TestKeys.Admin,
        "issuer" => "Bearer " + TestKeys.Issuer,
        "enforcer" => "Bearer " + TestKeys.Enforcer,
        "root" => "Bearer " + fixture.Root.Token,
        "child" => "Bearer " + fixture.Child.Token,
        "revoked" => "Bearer " + fixture.Revoked.Token,
        "forged" => $"Bearer dgt_{fixture.Root.Grant.Id}.{GrantToken.Issue(fixture.Root.Grant.Id).Token.Split('.')[1]}",
        _ => "Bearer not-a-key-of-this-silo",
    };

    private string Fill(string text) => new StringBuilder(text)
        .Replace("{rootToken}", fixture.Root.Token)
        .Replace("{rootAgent}", fixture.Root.Grant.Agent)
        .Replace("{user}", fixture.Root.Grant.User)
        .Replace("{root}", fixture.Root.Grant.Id)
        .Replace("{child}", fixture.Child.Grant.Id)
        .Replace("{lease}", fixture.Lease.LeaseId)
        .ToString();
}
