using Delegation.Grains.Model;

namespace Delegation.Grains.Trees;

/// <summary>What a write turn did: the state before and after it, the command's own result, and the feed position of its last event.</summary>
public readonly record struct TurnOutcome<T>(TreeState Before, TreeState After, T Value, long FeedSeq = 0)
{
    /// <summary>True when the turn appended events.</summary>
    public bool Changed => After.Version != Before.Version;
}
