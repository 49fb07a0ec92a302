using System.Globalization;

namespace Delegation.LoadTest.Reporting;

/// <summary>Numbers as people read them, independent of the machine's culture.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A duration given in nanoseconds: "850 ns", "12.3 µs", "4.56 ms", "1.20 s".</summary>
    public static string Nanos(double nanos) => nanos switch
    {
        < 1_000 => string.Create(Invariant, $"{nanos:F0} ns"),
        < 1_000_000 => string.Create(Invariant, $"{nanos / 1_000:G3} µs"),
        < 1_000_000_000 => string.Create(Invariant, $"{nanos / 1_000_000:G3} ms"),
        _ => string.Create(Invariant, $"{nanos / 1_000_000_000:F2} s"),
    };

    /// <summary>A rate: "5,123,456/s".</summary>
    public static string Rate(double perSecond) => string.Create(Invariant, $"{perSecond:N0}/s");

    /// <summary>A count: "1,000,000".</summary>
    public static string Count(double value) => string.Create(Invariant, $"{value:N0}");

    /// <summary>A ratio: "0.62x".</summary>
    public static string Ratio(double? ratio) => ratio is { } r ? string.Create(Invariant, $"{r:F2}x") : "baseline";

    /// <summary>A plain number with up to <paramref name="decimals"/> decimals.</summary>
    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(Invariant), Invariant);

    /// <summary>A fact's value with its unit.</summary>
    public static string Fact(Fact fact) => fact.Unit switch
    {
        "ns" => Nanos(fact.Value),
        "ms" => string.Create(Invariant, $"{fact.Value:F2} ms"),
        "ops/s" => Rate(fact.Value),
        "bytes" => string.Create(Invariant, $"{fact.Value:N0} bytes"),
        "MiB" => string.Create(Invariant, $"{fact.Value:N1} MiB"),
        "" => Count(fact.Value),
        _ => string.Create(Invariant, $"{fact.Value:N2} {fact.Unit}"),
    };

    /// <summary>Invariant text of a number for SVG attributes.</summary>
    public static string Svg(double value) => value.ToString("0.##", Invariant);
}
