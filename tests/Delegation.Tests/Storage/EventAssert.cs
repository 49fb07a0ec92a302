using Delegation.Events;
using Delegation.Grains.Storage;

namespace Delegation.Tests.Storage;

/// <summary>
/// Field-by-field equality of events. Records compare by value except their list members (a grant's scope),
/// so scopes are compared with SequenceEqual and the rest by value; the JSON comparison also pins offsets.
/// </summary>
internal static class EventAssert
{
    public static void Equal(StoredEvent expected, StoredEvent actual)
    {
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.TreeId, actual.TreeId);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.At, actual.At);
        Equal(expected.Event, actual.Event);
    }

    public static void Equal(TreeEvent expected, TreeEvent actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(EventSerializer.Serialize(expected), EventSerializer.Serialize(actual));
        switch (expected, actual)
        {
            case (GrantCreated e, GrantCreated a):
                Assert.True(e.Grant.Scope.SequenceEqual(a.Grant.Scope));
                Assert.True((e.Grant.ApprovalScope ?? []).SequenceEqual(a.Grant.ApprovalScope ?? []));
                Assert.Equal(e, a with { Grant = a.Grant with { Scope = e.Grant.Scope, ApprovalScope = e.Grant.ApprovalScope } });
                break;
            case (GrantDelegated e, GrantDelegated a):
                Assert.True(e.Grant.Scope.SequenceEqual(a.Grant.Scope));
                Assert.True((e.Grant.ApprovalScope ?? []).SequenceEqual(a.Grant.ApprovalScope ?? []));
                Assert.Equal(e, a with { Grant = a.Grant with { Scope = e.Grant.Scope, ApprovalScope = e.Grant.ApprovalScope } });
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
