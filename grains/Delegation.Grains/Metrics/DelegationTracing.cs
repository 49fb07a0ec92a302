using System.Diagnostics;

namespace Delegation.Grains.Metrics;

/// <summary>
/// The silo's own spans: a tree grain's write turn and its store append (Orleans' grain-call spans and ASP.NET Core's
/// request spans carry the rest of a trace). Attributes name trees, event counts and outcomes, never a token or key.
/// </summary>
public static class DelegationTracing
{
    /// <summary>The activity source's name, for a tracer provider's <c>AddSource</c>.</summary>
    public const string SourceName = "Delegation";

    /// <summary>The source the grains start their spans on.</summary>
    internal static ActivitySource Source { get; } = new(SourceName);
}
