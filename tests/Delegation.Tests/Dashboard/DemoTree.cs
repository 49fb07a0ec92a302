using Delegation.Api;
using Delegation.Client;
using Delegation.Grants;

namespace Delegation.Tests.Dashboard;

/// <summary>
/// A support team's delegation tree with a grant in every state, for the screenshots: alice → support-bot →
/// summarizer (→ translator), triage (suspended by an anomaly rule), researcher (revoked, with a scraper under it), reply-drafter, notifier (revoked).
/// The root and triage carry rates, and deleting a ticket waits for a person's approval (<see cref="AskApprovalAsync"/>).
/// </summary>
public sealed record DemoTree(string Root, string Summarizer, string Translator, string Triage, string Researcher, string Scraper, string Drafter, string Notifier)
{
    /// <summary>Creates the tree through the API.</summary>
    public static async Task<DemoTree> CreateAsync(DelegationClient admin)
    {
        var root = await admin.CreateGrantAsync(new CreateGrantRequest(
            "alice", "support-bot", ["tickets:*@projects/42/**", "kb:read", "!tickets:delete@projects/42/**"], Budget: 5000, TtlSeconds: 8 * 3600,
            Purpose: "Customer support for project 42", Rate: new RateLimit(1000, 1, 2000)));
        var id = root.Grant.Id;
        var summarizer = await admin.DelegateAsync(id, new DelegateRequest("summarizer", ["tickets:read@projects/42/*"], Budget: 1200, TtlSeconds: 2 * 3600, Purpose: "Summarize new tickets"));
        var translator = await admin.DelegateAsync(summarizer.Grant.Id, new DelegateRequest("translator", ["tickets:read@projects/42/7"], Budget: 300, TtlSeconds: 40 * 60));
        var triage = await admin.DelegateAsync(id, new DelegateRequest("triage", ["tickets:label@projects/42/*"], Budget: 800, TtlSeconds: 3 * 3600, Rate: new RateLimit(5, 1, 10)));
        var researcher = await admin.DelegateAsync(id, new DelegateRequest("researcher", ["kb:read"], Budget: 600, TtlSeconds: 3600));
        var scraper = await admin.DelegateAsync(researcher.Grant.Id, new DelegateRequest("web-scraper", ["kb:read"], Budget: 200, TtlSeconds: 20 * 60));
        var drafter = await admin.DelegateAsync(id, new DelegateRequest("reply-drafter", ["tickets:comment@projects/42/*"], Budget: 500, TtlSeconds: 90 * 60));
        var notifier = await admin.DelegateAsync(id, new DelegateRequest("notifier", ["tickets:comment@projects/42/*"], Budget: 100, TtlSeconds: 30 * 60));
        return new DemoTree(id, summarizer.Grant.Id, translator.Grant.Id, triage.Grant.Id, researcher.Grant.Id, scraper.Grant.Id, drafter.Grant.Id, notifier.Grant.Id);
    }

    /// <summary>The support bot asks to delete a ticket: a request that waits for a person's approval.</summary>
    public async Task<string> AskApprovalAsync(DelegationClient admin)
    {
        var asked = await admin.CheckAsync(new CheckRequest(null, Root, "tickets:delete", "projects/42/13", Cost: 2));
        return asked.ApprovalId ?? throw new InvalidOperationException($"Deleting a ticket was not held for approval: {asked.Decision} {asked.Reason}.");
    }

    /// <summary>
    /// Checks spread over a few seconds (mostly allowed, some denied), a suspension and two revocations that wait
    /// for the enforcers, so every chart of the overview has something to show.
    /// </summary>
    public async Task RunTrafficAsync(DelegationClient admin, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var burst = 6 + (int)(5 * Math.Sin(round / 3.0)) + (round % 4);
            for (var i = 0; i < burst; i++)
            {
                await admin.CheckAsync(new CheckRequest(null, Summarizer, "tickets:read", "projects/42/7", Cost: 1));
                await admin.CheckAsync(new CheckRequest(null, Translator, "tickets:read", "projects/42/7", Cost: 1));
                await admin.CheckAsync(new CheckRequest(null, Drafter, "tickets:comment", "projects/42/9"));
            }

            await admin.CheckAsync(new CheckRequest(null, Summarizer, "tickets:write", "projects/42/7"));
            switch (round)
            {
                case 6:
                    await admin.SuspendGrantAsync(Triage, "anomaly:deny_ratio");
                    break;
                case 10:
                    await admin.RevokeGrantAndWaitAsync(Researcher, "scraped outside the knowledge base");
                    break;
                case 16:
                    await admin.RevokeGrantAndWaitAsync(Notifier, "no longer needed");
                    break;
                default:
                    break;
            }

            if (round >= 10)
            {
                await admin.CheckAsync(new CheckRequest(null, Scraper, "kb:read", Cost: 1));
            }

            // Pacing, so the traffic spans several seconds of the per-second charts.
            await Task.Delay(250);
        }
    }
}
