namespace Delegation.LoadTest.Reporting;

/// <summary>One derived figure.</summary>
/// <param name="Name">What it is.</param>
/// <param name="Value">The number.</param>
/// <param name="Unit">Its unit ("bytes", "ms", "ops/s", "" for a count).</param>
/// <param name="Note">How it was obtained or what to compare it with.</param>
public sealed record Fact(string Name, double Value, string Unit, string? Note = null);
