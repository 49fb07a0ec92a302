namespace Delegation.Grains.Storage;

/// <summary>Where a grant lives: its id and its tree.</summary>
public readonly record struct GrantLocator(string GrantId, string TreeId);
