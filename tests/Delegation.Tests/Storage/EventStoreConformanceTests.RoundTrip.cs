using System.Reflection;
using System.Text.Json.Serialization;
using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Tests.Storage;

public abstract partial class EventStoreConformanceTests
{
    [Fact]
    public async Task Every_event_type_round_trips_with_all_fields_equal()
    {
        var tree = GrantId.NewRoot();
        var events = SampleEvents.OneOfEach(tree);
        var at = SampleEvents.T0.AddTicks(7).ToOffset(TimeSpan.FromHours(3));

        var result = await Store.AppendAsync(tree, 0, events, at, null);

        Assert.True(result.Succeeded);
        var fromTree = await Store.ReadTreeAsync(tree);
        var fromFeed = await Store.ReadFeedAsync(0, 100);
        Assert.Equal(events.Count, fromTree.Count);
        Assert.Equal(events.Count, fromFeed.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var expected = new StoredEvent(i + 1, tree, i + 1, at, events[i]);
            EventAssert.Equal(expected, result.Events[i]);
            EventAssert.Equal(expected, fromTree[i]);
            EventAssert.Equal(expected, fromFeed[i]);
        }
    }

    [Fact]
    public void The_round_trip_sample_has_every_event_type()
    {
        var declared = typeof(TreeEvent).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType);
        var sampled = SampleEvents.OneOfEach(GrantId.NewRoot()).Select(e => e.GetType());

        Assert.Empty(declared.Except(sampled));
    }
}
