using System.Globalization;
using System.Text.RegularExpressions;

namespace Delegation.Cli.CommandLine;

/// <summary>Durations as operators type them: <c>90</c> (seconds), <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>7d</c>, <c>500ms</c>.</summary>
internal static partial class Durations
{
    /// <summary>Parses a duration; false for anything else, including zero and negative ones.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TryAdd(ref duration, seconds, "s") && duration > TimeSpan.Zero;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var parts = match.Groups["part"].Captures;
        for (var i = 0; i < parts.Count; i++)
        {
            var number = long.Parse(match.Groups["n"].Captures[i].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!TryAdd(ref duration, number, match.Groups["unit"].Captures[i].Value.ToLowerInvariant()))
            {
                return false;
            }
        }

        return duration > TimeSpan.Zero;
    }

    /// <summary>A short rendering of a duration: its two largest units, e.g. <c>1h 05m</c>, <c>3m 20s</c>, <c>2d 4h</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        duration = duration.Duration();
        return duration switch
        {
            { TotalDays: >= 1 } => $"{(int)duration.TotalDays}d {duration.Hours}h",
            { TotalHours: >= 1 } => $"{duration.Hours}h {duration.Minutes:00}m",
            { TotalMinutes: >= 1 } => $"{duration.Minutes}m {duration.Seconds:00}s",
            { TotalSeconds: >= 1 } => $"{duration.Seconds}s",
            _ => $"{duration.Milliseconds}ms",
        };
    }

    private static bool TryAdd(ref TimeSpan duration, long number, string unit)
    {
        var unitLength = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(1),
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        if (number > TimeSpan.MaxValue.Ticks / unitLength.Ticks || duration.Ticks > TimeSpan.MaxValue.Ticks - (number * unitLength.Ticks))
        {
            return false;
        }

        duration += TimeSpan.FromTicks(number * unitLength.Ticks);
        return true;
    }

    [GeneratedRegex(@"^(?<part>(?<n>[0-9]{1,12})(?<unit>ms|[dhms]))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
