namespace Delegation.Storage.Postgres;

/// <summary>
/// The connection failed while an append's COMMIT was under way, so it may or may not have been written.
/// Never retried blindly: the caller reads the tree (a later append at the same expected version conflicts if
/// this one was written) and decides from what is actually stored.
/// </summary>
public sealed class AppendOutcomeUnknownException(string treeId, Exception inner)
    : Exception($"The append to tree {treeId} may or may not have been committed: the connection failed during COMMIT. Read the tree to know.", inner)
{
    /// <summary>The tree the append was for.</summary>
    public string TreeId { get; } = treeId;
}
