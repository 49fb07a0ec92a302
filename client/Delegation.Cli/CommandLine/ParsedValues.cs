using System.CommandLine.Parsing;
using System.Globalization;

namespace Delegation.Cli.CommandLine;

/// <summary>Custom parsers for option values, so that a malformed value is a usage error that says what is expected.</summary>
internal static class ParsedValues
{
    /// <summary>Parses a duration (see <see cref="Durations"/>).</summary>
    public static TimeSpan? Duration(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Durations.TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration: use e.g. 90, 90s, 15m, 1h30m, 7d.");
        return null;
    }

    /// <summary>Parses a rate, <c>n/duration</c> (e.g. <c>10/1m</c>), into a limit per whole seconds.</summary>
    public static Delegation.Grants.RateLimit? Rate(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && long.TryParse(text.AsSpan(0, slash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit)
            && Durations.TryParse(text[(slash + 1)..], out var interval)
            && interval.Ticks % TimeSpan.TicksPerSecond == 0 && interval > TimeSpan.Zero)
        {
            return new Delegation.Grants.RateLimit(limit, (long)interval.TotalSeconds);
        }

        result.AddError($"'{text}' is not a rate: use n/duration in whole seconds, e.g. 10/1s, 100/1m, 5000/1h.");
        return null;
    }

    /// <summary>Parses an absolute time in ISO 8601; without an offset it is UTC.</summary>
    public static DateTimeOffset? Instant(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        result.AddError($"'{text}' is not a time: use ISO 8601, e.g. 2030-01-31T18:00:00Z.");
        return null;
    }
}
