using System.Globalization;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Grants;

/// <summary>An expiry as a countdown: <c>in 59m 12s</c>, or <c>expired 3m 05s ago</c> in grey.</summary>
internal static class ExpiryMarkup
{
    public static string Countdown(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var left = expiresAt - now;
        var colour = left <= TimeSpan.Zero ? "grey" : left < TimeSpan.FromMinutes(5) ? "yellow" : "default";
        var text = left <= TimeSpan.Zero ? $"expired {Durations.Format(left)} ago" : $"in {Durations.Format(left)}";
        return $"[{colour}]{text}[/]";
    }

    /// <summary>An instant as operators read it in logs: UTC, to the second.</summary>
    public static string Instant(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
