using System.Globalization;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Audit;

/// <summary>
/// Follows the decision log by polling <c>GET /v1/audit</c>, which pages newest first and has no forward cursor or
/// stream. Each poll asks for decisions since the newest one seen, minus a look-back window, because decisions
/// reach the log in batches (and enforcers report theirs late); what was already printed is skipped.
/// </summary>
internal sealed class AuditFollower(CliSession session, AuditFilter filter, TimeSpan interval)
{
    /// <summary>How late a decision may reach the log and still be shown.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromSeconds(30);

    private const int PageSize = 1000;
    private const int MaxPagesPerPoll = 20;

    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private DateTimeOffset? _newest;

    /// <summary>Shows the latest <paramref name="last"/> decisions, then every new one, oldest first, until cancelled.</summary>
    public async Task FollowAsync(int last, Action<DecisionRecord> onDecision, CancellationToken cancellationToken)
    {
        var latest = await RawApi.GetAsync(session, filter.Uri(null, Math.Max(1, last), null), DelegationJsonContext.Default.AuditPage, cancellationToken)
            .ConfigureAwait(false);
        if (latest.Items.Count > 0)
        {
            // What the log held before the tail started is history: only the latest `last` of it is shown.
            _newest = latest.Items.Max(d => d.Time);
            foreach (var decision in await PollAsync(cancellationToken).ConfigureAwait(false))
            {
                if (decision.Time <= _newest)
                {
                    _seen.TryAdd(Key(decision), decision.Time);
                }
            }
        }

        foreach (var decision in latest.Items.Take(last).OrderBy(d => d.Time))
        {
            _seen[Key(decision)] = decision.Time;
            onDecision(decision);
        }

        while (true)
        {
            await Task.Delay(interval, session.Time, cancellationToken).ConfigureAwait(false);
            Emit(await PollAsync(cancellationToken).ConfigureAwait(false), onDecision);
        }
    }

    private async Task<List<DecisionRecord>> PollAsync(CancellationToken cancellationToken)
    {
        var from = _newest - LookBack;
        var found = new List<DecisionRecord>();
        string? cursor = null;
        for (var page = 0; page < MaxPagesPerPoll; page++)
        {
            var answer = await RawApi.GetAsync(session, filter.Uri(from, PageSize, cursor), DelegationJsonContext.Default.AuditPage, cancellationToken)
                .ConfigureAwait(false);
            found.AddRange(answer.Items);
            if ((cursor = answer.NextCursor) is null)
            {
                return found;
            }
        }

        session.Error.MarkupLine($"[yellow]more than {PageSize * MaxPagesPerPoll} decisions since the last poll: showing the newest; narrow the tail with filters[/]");
        return found;
    }

    private void Emit(IEnumerable<DecisionRecord> decisions, Action<DecisionRecord> onDecision)
    {
        foreach (var decision in decisions.OrderBy(d => d.Time))
        {
            if (_seen.TryAdd(Key(decision), decision.Time))
            {
                onDecision(decision);
                _newest = _newest is { } newest && newest > decision.Time ? newest : decision.Time;
            }
        }

        var forgetBefore = _newest - LookBack - LookBack;
        foreach (var (key, time) in _seen)
        {
            if (time < forgetBefore)
            {
                _seen.Remove(key);
            }
        }
    }

    // Decisions carry no id; these fields together tell two decisions apart (the time has sub-millisecond precision).
    private static string Key(DecisionRecord d) => string.Join(
        '\u001f',
        d.Time.UtcTicks.ToString(CultureInfo.InvariantCulture),
        d.GrantId,
        d.Action,
        d.Resource,
        d.Cost.ToString(CultureInfo.InvariantCulture),
        d.Decision.ToString(),
        d.Enforcer,
        d.LatencyMicros.ToString("R", CultureInfo.InvariantCulture));
}
