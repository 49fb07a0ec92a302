using Delegation.Events;
using Delegation.Grains.Storage;
using Delegation.Grants;

namespace Delegation.Storage.Postgres;

/// <summary>The events as column arrays, serialized before any connection is taken.</summary>
internal sealed record EventRows(
    string[] Types,
    string[] Data,
    string[] GrantIds,
    string[] Agents,
    string[] Users,
    bool[] IsRoot,
    long[] Ordinals)
{
    public static EventRows From(IReadOnlyList<TreeEvent> events)
    {
        var types = new string[events.Count];
        var data = new string[events.Count];
        var grants = new List<(GrantRecord Grant, bool IsRoot, long Ordinal)>();
        for (var i = 0; i < events.Count; i++)
        {
            types[i] = events[i].TypeName;
            data[i] = EventSerializer.Serialize(events[i]);
            switch (events[i])
            {
                case GrantCreated created:
                    grants.Add((created.Grant, true, i + 1));
                    break;
                case GrantDelegated delegated:
                    grants.Add((delegated.Grant, false, i + 1));
                    break;
            }
        }

        return new EventRows(
            types,
            data,
            [.. grants.Select(g => g.Grant.Id)],
            [.. grants.Select(g => g.Grant.Agent)],
            [.. grants.Select(g => g.Grant.User)],
            [.. grants.Select(g => g.IsRoot)],
            [.. grants.Select(g => g.Ordinal)]);
    }
}
