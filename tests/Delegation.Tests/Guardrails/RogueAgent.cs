using Delegation.Api;
using Delegation.Grants;
using Delegation.Tests.Enforcement;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Guardrails;

/// <summary>
/// A synthetic agent holding a grant for <c>tickets:read@projects/42/**</c>, checked through a silo's
/// <c>POST /v1/check</c> on the silo's manual clock, that counts what it was allowed after its first anomalous request.
/// </summary>
internal sealed class RogueAgent(TestSilo silo, ManualTimeProvider clock, GrantCreatedResponse grant)
{
    public const string Scope = "tickets:read@projects/42/**";

    private int? _firstAnomalous;

    public GrantCreatedResponse Grant => grant;

    /// <summary>Requests made so far.</summary>
    public int Requests { get; private set; }

    /// <summary>Requests allowed from the first anomalous one (included) until the answer <c>suspended</c>.</summary>
    public int AllowedSinceAnomalous { get; private set; }

    /// <summary>Requests made from the first anomalous one (included) until the answer <c>suspended</c>.</summary>
    public int MadeSinceAnomalous => _firstAnomalous is { } first ? Requests - first : 0;

    /// <summary>True once a check answered <c>suspended</c>.</summary>
    public bool Suspended { get; private set; }

    public static async Task<RogueAgent> GrantedAsync(TestSilo silo, ManualTimeProvider clock, string agent = "support-bot") =>
        new(silo, clock, await silo.Admin.CreateGrantAsync(new CreateGrantRequest("alice", agent, [Scope], TtlSeconds: 86_400)));

    /// <summary>Marks the next request as the first anomalous one.</summary>
    public void GoesRogue() => _firstAnomalous ??= Requests;

    /// <summary>One request, then the clock moves by <paramref name="pause"/>.</summary>
    public async Task<CheckResponse> AskAsync(string action, string resource, TimeSpan pause = default)
    {
        var answer = await silo.Admin.CheckAsync(new CheckRequest(grant.Token, null, action, resource));
        Requests++;
        if (answer.Reason == DenyReason.Suspended)
        {
            Suspended = true;
        }
        else if (_firstAnomalous is not null && !Suspended && answer.Decision == Decision.Allow)
        {
            AllowedSinceAnomalous++;
        }

        if (pause > TimeSpan.Zero)
        {
            clock.Advance(pause);
        }

        return answer;
    }

    /// <summary>Reads projects/42/{n}: what the agent is for.</summary>
    public Task<CheckResponse> ReadAsync(int ticket, TimeSpan pause = default) => AskAsync("tickets:read", $"projects/42/{ticket}", pause);

    /// <summary>Tries to delete projects/42/{n}: outside its scope.</summary>
    public Task<CheckResponse> DeleteAsync(int ticket, TimeSpan pause = default) => AskAsync("tickets:delete", $"projects/42/{ticket}", pause);

    public Task<GrantView> ViewAsync() => silo.Admin.GetGrantAsync(grant.Grant.Id);
}
