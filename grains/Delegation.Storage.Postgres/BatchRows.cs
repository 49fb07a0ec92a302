using Delegation.Events;
using Delegation.Grains.Storage;

namespace Delegation.Storage.Postgres;

/// <summary>
/// The accepted appends of one group commit as column arrays, for one statement per table. Feed positions are
/// ordinals (1..<see cref="EventCount"/>) in the batch's order; the statements add them to the feed head they take.
/// </summary>
internal sealed class BatchRows
{
    private BatchRows(int eventCount)
    {
        EventCount = eventCount;
        EventTrees = new string[eventCount];
        EventVersions = new long[eventCount];
        EventTicks = new long[eventCount];
        EventTypes = new string[eventCount];
        EventData = new string[eventCount];
    }

    public int EventCount { get; }

    public string[] EventTrees { get; }

    public long[] EventVersions { get; }

    public long[] EventTicks { get; }

    public string[] EventTypes { get; }

    public string[] EventData { get; }

    public List<string> GrantIds { get; } = [];

    public List<string> GrantTrees { get; } = [];

    public List<string> Agents { get; } = [];

    public List<string> Users { get; } = [];

    public List<bool> IsRoot { get; } = [];

    public List<long> GrantOrdinals { get; } = [];

    /// <summary>Each tree once, with the version and timer of its last append in the batch.</summary>
    public Dictionary<string, (long Version, long? DueTicks)> Trees { get; } = new(StringComparer.Ordinal);

    /// <summary>The rows of <paramref name="accepted"/> (in order), each append's first version after its expected one.</summary>
    public static BatchRows From(IReadOnlyList<PendingAppend> accepted)
    {
        var rows = new BatchRows(accepted.Sum(a => a.Events.Count));
        var offset = 0;
        foreach (var append in accepted)
        {
            var ticks = UtcTicks.From(append.At);
            for (var i = 0; i < append.Events.Count; i++)
            {
                rows.EventTrees[offset + i] = append.TreeId;
                rows.EventVersions[offset + i] = append.ExpectedVersion + i + 1;
                rows.EventTicks[offset + i] = ticks;
                rows.EventTypes[offset + i] = append.Rows.Types[i];
                rows.EventData[offset + i] = append.Rows.Data[i];
            }

            for (var g = 0; g < append.Rows.GrantIds.Length; g++)
            {
                rows.GrantIds.Add(append.Rows.GrantIds[g]);
                rows.GrantTrees.Add(append.TreeId);
                rows.Agents.Add(append.Rows.Agents[g]);
                rows.Users.Add(append.Rows.Users[g]);
                rows.IsRoot.Add(append.Rows.IsRoot[g]);
                rows.GrantOrdinals.Add(offset + append.Rows.Ordinals[g]);
            }

            rows.Trees[append.TreeId] = (
                append.ExpectedVersion + append.Events.Count,
                append.NextDueAt is { } due ? UtcTicks.From(due) : null);
            offset += append.Events.Count;
        }

        return rows;
    }

    /// <summary>The stored events of each of <paramref name="accepted"/>, given the feed head the batch ended at.</summary>
    public static AppendResult[] Results(IReadOnlyList<PendingAppend> accepted, long head, int eventCount)
    {
        var results = new AppendResult[accepted.Count];
        var seq = head - eventCount;
        for (var a = 0; a < accepted.Count; a++)
        {
            var append = accepted[a];
            var stored = new StoredEvent[append.Events.Count];
            for (var i = 0; i < stored.Length; i++)
            {
                stored[i] = new StoredEvent(++seq, append.TreeId, append.ExpectedVersion + i + 1, append.At, append.Events[i]);
            }

            results[a] = AppendResult.Success(stored);
        }

        return results;
    }
}
