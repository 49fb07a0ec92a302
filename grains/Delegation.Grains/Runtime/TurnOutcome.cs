using Delegation.Grains.Model;

namespace Delegation.Grains.Runtime;

/// <summary>What a write turn did: the state before and after it, and the command's own result.</summary>
public readonly record struct TurnOutcome<T>(TreeState Before, TreeState After, T Value)
{
    /// <summary>True when the turn appended events.</summary>
    public bool Changed => After.Version != Before.Version;
}
