namespace Delegation.LoadTest.Hosting;

/// <summary>A fixture grant: its id, its token (shown once at creation) and its tree.</summary>
public sealed record Grant(string Id, string Token, string RootId);
