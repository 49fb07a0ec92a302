using BenchmarkDotNet.Attributes;
using Delegation.Scopes;

namespace Delegation.Benchmarks.Scopes;

/// <summary>Deciding whether a compiled scope allows a concrete request, against a plain string comparison.</summary>
[MemoryDiagnoser]
public class ScopeMatchingBenchmarks
{
    private const string Action = "tickets:read";
    private const string Resource = "projects/42/tickets/7";

    private readonly Scope _exact = Scope.Parse(["tickets:read@projects/42/tickets/7"]);
    private readonly Scope _wildcards = Scope.Parse(["tickets:*@projects/*/tickets/**"]);
    private readonly Scope _many = Scope.Parse([.. Enumerable.Range(0, 15).Select(i => $"mail:send@domains/d{i}/**"), "tickets:*@projects/**"]);
    private readonly Scope _denied = Scope.Parse(["tickets:write@projects/42/**", "mail:*"]);
    private string _expected = "tickets:read@projects/42/tickets/7";

    /// <summary>Keeps the comparison from being constant-folded.</summary>
    [GlobalSetup]
    public void Setup() => _expected = string.Concat("tickets:read@", Resource);

    /// <summary>The floor: one ordinal comparison of the request against a permission text.</summary>
    [Benchmark(Baseline = true)]
    public bool OrdinalEquals() => string.Equals(_expected, "tickets:read@projects/42/tickets/7", StringComparison.Ordinal);

    /// <summary>One exact permission.</summary>
    [Benchmark]
    public bool Exact() => _exact.Allows(Action, Resource);

    /// <summary>One permission with action and resource wildcards.</summary>
    [Benchmark]
    public bool Wildcards() => _wildcards.Allows(Action, Resource);

    /// <summary>Sixteen permissions, the match in the last.</summary>
    [Benchmark]
    public bool SixteenPermissions() => _many.Allows(Action, Resource);

    /// <summary>No permission matches.</summary>
    [Benchmark]
    public bool Denied() => _denied.Allows(Action, Resource);
}
