using System.Net.Http.Headers;
using System.Text;
using Delegation.Api;
using Delegation.Client;
using Delegation.Grains.Budget;
using Delegation.Grants;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>Every bad request gets its documented 4xx problem+json, and changes nothing.</summary>
public sealed partial class BadInputTests(BadInputFixture fixture) : IClassFixture<BadInputFixture>
{
    private static readonly string UnknownRoot = GrantId.NewRoot();

    private SiloFactory Silo => fixture.Silo;

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_bad_request_gets_its_problem_and_changes_nothing(string name)
    {
        var bad = Cases[name];
        var before = await fixture.SnapshotAsync();

        using var response = await SendAsync(bad);

        await ProblemAssert.IsAsync(response, bad.Status, bad.Code);
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task A_body_exactly_at_the_limit_is_accepted()
    {
        var body = Valid + new string(' ', BadInputFixture.MaxBodyBytes - Valid.Length);
        Assert.Equal(BadInputFixture.MaxBodyBytes, Encoding.UTF8.GetByteCount(body));

        using var response = await SendAsync(new BadRequest("POST", "/v1/grants", "issuer", 201, string.Empty, body));

        Assert.Equal(201, (int)response.StatusCode);
    }

    [Fact]
    public async Task A_check_of_an_unknown_grant_or_a_forged_token_is_a_deny_not_an_error()
    {
        var before = await fixture.SnapshotAsync();

        var unknown = await Silo.Enforcer.CheckAsync(new CheckRequest(null, UnknownRoot, "tickets:read", "projects/1", 1));
        var garbage = await Silo.Enforcer.CheckAsync(new CheckRequest(null, "not-a-grant", "tickets:read"));
        var forged = await Silo.Enforcer.CheckAsync(new CheckRequest(Forged(), null, "tickets:read", "projects/1", 1));
        var malformed = await Silo.Enforcer.CheckAsync(new CheckRequest("dgt_nope", null, "tickets:read"));
        var revoked = await Silo.Enforcer.CheckAsync(new CheckRequest(fixture.Revoked.Token, null, "tickets:read", "projects/1", 1));

        Assert.Equal((Decision.Deny, DenyReason.UnknownGrant, UnknownRoot), (unknown.Decision, unknown.Reason, unknown.GrantId));
        Assert.Equal((Decision.Deny, DenyReason.UnknownGrant), (garbage.Decision, garbage.Reason));
        Assert.Equal((Decision.Deny, DenyReason.InvalidToken, fixture.Root.Grant.Id), (forged.Decision, forged.Reason, forged.GrantId));
        Assert.Equal((Decision.Deny, DenyReason.InvalidToken), (malformed.Decision, malformed.Reason));
        Assert.Equal((Decision.Deny, DenyReason.Revoked), (revoked.Decision, revoked.Reason));
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    [Fact]
    public async Task The_typed_client_surfaces_each_problem_as_its_exception_with_code_and_status()
    {
        var before = await fixture.SnapshotAsync();

        var forbidden = await Assert.ThrowsAsync<DelegationForbiddenException>(() => Silo.Enforcer.CreateGrantAsync(Requests.Root()));
        var unauthorized = await Assert.ThrowsAsync<DelegationUnauthorizedException>(() => Silo.As(Forged()).GetGrantAsync(fixture.Root.Grant.Id));
        var notFound = await Assert.ThrowsAsync<DelegationNotFoundException>(() => Silo.Admin.GetTreeAsync(UnknownRoot));
        var invalid = await Assert.ThrowsAsync<DelegationValidationException>(() => Silo.Issuer.CreateGrantAsync(Requests.Root(scope: ["a b"])));
        var tooLarge = await Assert.ThrowsAsync<DelegationPayloadTooLargeException>(
            () => Silo.Issuer.CreateGrantAsync(Requests.Root() with { Purpose = new string('p', BadInputFixture.MaxBodyBytes) }));
        var widened = await Assert.ThrowsAsync<DelegationAttenuationException>(
            () => Silo.As(fixture.Root.Token).DelegateAsync(fixture.Root.Grant.Id, Requests.Child(budget: 1, scope: ["docs:write"])));
        var waited = await Assert.ThrowsAsync<DelegationValidationException>(() => Silo.Issuer.RevokeGrantAndWaitAsync(fixture.Root.Grant.Id, timeout: TimeSpan.FromMinutes(5)));
        var issuerFeed = await Assert.ThrowsAsync<DelegationForbiddenException>(async () =>
        {
            await foreach (var item in Silo.Issuer.ReadFeedAsync(0))
            {
                Assert.Fail($"An issuer read {item} from the feed.");
            }
        });

        Assert.Equal((ErrorCodes.Forbidden, (int?)403), (forbidden.Code, forbidden.Status));
        Assert.Equal((ErrorCodes.Unauthorized, (int?)401), (unauthorized.Code, unauthorized.Status));
        Assert.Equal((ErrorCodes.NotFound, (int?)404), (notFound.Code, notFound.Status));
        Assert.Equal((ErrorCodes.InvalidScope, (int?)400), (invalid.Code, invalid.Status));
        Assert.Equal((ErrorCodes.PayloadTooLarge, (int?)413), (tooLarge.Code, tooLarge.Status));
        Assert.Equal((ErrorCodes.ScopeNotCovered, (int?)422), (widened.Code, widened.Status));
        Assert.Equal((ErrorCodes.ValidationFailed, (int?)400), (waited.Code, waited.Status));
        Assert.Equal((ErrorCodes.Forbidden, (int?)403), (issuerFeed.Code, issuerFeed.Status));
        Assert.Equal(GrantStatus.Active, (await Silo.Admin.GetGrantAsync(fixture.Root.Grant.Id)).Status);
        Assert.Equal(before, await fixture.SnapshotAsync());
    }

    private async Task<HttpResponseMessage> SendAsync(BadRequest bad)
    {
        using var request = new HttpRequestMessage(new HttpMethod(bad.Method), Fill(bad.Path));
        if (bad.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Fill(bad.Body)));
            if (bad.ContentType is not null)
            {
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(bad.ContentType);
            }
        }

        if (bad.LastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", bad.LastEventId);
        }

        if (Authorization(bad.Credential) is { } header)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Fill(header));
        }

        return await Silo.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    }

    private string? Authorization(string credential) => credential switch
    {
        "none" => null,
        "admin" => "Bearer " + TestKeys.Admin,
        "issuer" => "Bearer " + TestKeys.Issuer,
        "enforcer" => "Bearer " + TestKeys.Enforcer,
        "root" => "Bearer " + fixture.Root.Token,
        "child" => "Bearer " + fixture.Child.Token,
        "other" => "Bearer " + fixture.Other.Token,
        "revoked" => "Bearer " + fixture.Revoked.Token,
        "forged" => "Bearer " + Forged(),
        _ when credential.StartsWith("raw:", StringComparison.Ordinal) => credential["raw:".Length..],
        _ => throw new ArgumentOutOfRangeException(nameof(credential), credential, "Unknown credential name."),
    };

    /// <summary>The root's id with a secret of the right shape that is not its secret.</summary>
    private string Forged() => $"dgt_{fixture.Root.Grant.Id}.{GrantToken.Issue(fixture.Root.Grant.Id).Token.Split('.')[1]}";

    private string Fill(string text) => new StringBuilder(text)
        .Replace("{rootToken}", fixture.Root.Token)
        .Replace("{rootAgent}", fixture.Root.Grant.Agent)
        .Replace("{childAgent}", fixture.Child.Grant.Agent)
        .Replace("{user}", fixture.Root.Grant.User)
        .Replace("{root}", fixture.Root.Grant.Id)
        .Replace("{child}", fixture.Child.Grant.Id)
        .Replace("{other}", fixture.Other.Grant.Id)
        .Replace("{revoked}", fixture.Revoked.Grant.Id)
        .Replace("{lease}", fixture.Lease.LeaseId)
        .Replace("{unknownRoot}", UnknownRoot)
        .Replace("{unknownChild}", GrantId.NewChild(fixture.Root.Grant.Id))
        .Replace("{unknownLease}", LeaseId.New(fixture.Root.Grant.Id))
        .ToString();
}
