namespace Delegation.Storage.Redis;

/// <summary>
/// The names of every key this project writes, all under one prefix (default <c>dlg:</c>), so several deployments
/// or test runs can share one server, and so a future Redis Cluster can hash-tag them. Each store type adds its own
/// keys here, never inline.
/// </summary>
/// <param name="Prefix">The prefix of every key, e.g. <c>dlg:</c> or <c>dlg:test-1234:</c>.</param>
public sealed record RedisKeys(string Prefix = "dlg:")
{
    /// <summary>A key under the prefix.</summary>
    public string Of(string name) => Prefix + name;

    // ---- Event store (RedisEventStore): the layout is described on that type ----

    /// <summary>The feed: a stream whose entry ids are <c>&lt;seq&gt;-0</c>, one entry per event of every tree.</summary>
    public string Feed => Of("feed");

    /// <summary>The feed's head: the last sequence number handed out (a counter, INCRBY'd by the append script).</summary>
    public string FeedHead => Of("feed:head");

    /// <summary>The channel the append script publishes the new head on (a channel, not a key).</summary>
    public string FeedChannel => Of("feed:appended");

    /// <summary>A tree: the list of its events' feed sequences; its length is the tree's version.</summary>
    public string Tree(string treeId) => Of("tree:" + treeId);

    /// <summary>Trees by next due time: a sorted set ordered by member, <c>&lt;UTC ticks, 19 digits&gt;:&lt;tree id&gt;</c>.</summary>
    public string TreesDue => Of("due");

    /// <summary>Each due tree's current member of <see cref="TreesDue"/> (a hash, tree id to member), to replace it.</summary>
    public string TreeDueMembers => Of("due:members");

    /// <summary>The grants held by an agent: a hash, grant id to tree id.</summary>
    public string GrantsByAgent(string agent) => Of("by-agent:" + agent);

    /// <summary>The root grants given on behalf of a user: a hash, grant id to tree id.</summary>
    public string RootGrantsByUser(string user) => Of("roots-by-user:" + user);

    // ---- End of the event store's keys ----

    // ---- Decision log (RedisDecisionLog): the layout and its memory are described on that type ----

    /// <summary>A counter whose low bits break ties between decisions of the same millisecond.</summary>
    public string DecisionSequence => Of("decisions:seq");

    /// <summary>A hash from decision id (8 bytes, big-endian) to the encoded decision.</summary>
    public string DecisionRecords => Of("decisions:records");

    /// <summary>Every decision id: a sorted set, all scored 0 and ranged by member (the 8-byte id).</summary>
    public string Decisions => Of("decisions:all");

    /// <summary>The start of <see cref="DecisionsByAgent"/>'s keys; the decision log's script appends the agent.</summary>
    public string DecisionsByAgentPrefix => Of("decisions:agent:");

    /// <summary>The start of <see cref="DecisionsByUser"/>'s keys; the decision log's script appends the user.</summary>
    public string DecisionsByUserPrefix => Of("decisions:user:");

    /// <summary>The start of <see cref="DecisionsByGrant"/>'s keys; the decision log's script appends the grant id.</summary>
    public string DecisionsByGrantPrefix => Of("decisions:grant:");

    /// <summary>The ids of the decisions about grants held by <paramref name="agent"/> (ranged like <see cref="Decisions"/>).</summary>
    public string DecisionsByAgent(string agent) => DecisionsByAgentPrefix + agent;

    /// <summary>The ids of the decisions on behalf of <paramref name="user"/>.</summary>
    public string DecisionsByUser(string user) => DecisionsByUserPrefix + user;

    /// <summary>The ids of the decisions whose grant or chain holds <paramref name="grantId"/> (its subtree's decisions).</summary>
    public string DecisionsByGrant(string grantId) => DecisionsByGrantPrefix + grantId;

    // ---- Enforcer registry (RedisEnforcerRegistry): the layout is described on that type ----

    /// <summary>A hash from enforcer name to the feed sequence it has acknowledged.</summary>
    public string EnforcerAcked => Of("enforcers:acked");

    /// <summary>A hash from enforcer name to when it last acknowledged (server time, microseconds since 1970).</summary>
    public string EnforcerAckedAt => Of("enforcers:acked-at");

    /// <summary>A hash from enforcer name to when it last connected (server time, microseconds since 1970); its keys are every known enforcer.</summary>
    public string EnforcerConnectedAt => Of("enforcers:connected-at");

    /// <summary>A hash from enforcer name to the silo it last connected to.</summary>
    public string EnforcerSilo => Of("enforcers:silo");

    /// <summary>A hash from feed stream (<c>&lt;silo length&gt;:&lt;silo&gt;&lt;name&gt;</c>) to the connections open on that silo.</summary>
    public string EnforcerStreams => Of("enforcers:streams");

    /// <summary>A sorted set of the same feed streams, scored by when their silo last refreshed them (server time, microseconds).</summary>
    public string EnforcerStreamsSeen => Of("enforcers:seen");

    /// <summary>The channel acknowledgements and connection changes are published on (a channel, not a key).</summary>
    public string EnforcersChanged => Of("enforcers:changed");

    // ---- End of the decision log's and enforcer registry's keys ----
}
