using System.CommandLine;
using System.Globalization;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Grants;

/// <summary>
/// <c>--at</c>: read a grant or tree as it was at a past time, answered by the silo from the tree's events. The
/// typed client has no as-of parameter yet, so these reads go through <see cref="RawApi"/>.
/// </summary>
internal static class AsOfOption
{
    public static Option<DateTimeOffset?> Create() => new("--at")
    {
        Description = "As it was at this time (ISO 8601, UTC when no offset is given), from the tree's events",
        HelpName = "time",
        CustomParser = ParsedValues.Instant,
    };

    /// <summary>The relative URI of <paramref name="path"/> read as of <paramref name="at"/>.</summary>
    public static string Uri(string path, DateTimeOffset at) =>
        $"{path}?at={System.Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture))}";

    /// <summary>The relative URI of a grant: <c>v1/grants/{id}</c>, the id escaped.</summary>
    public static string GrantPath(string grantId) => $"v1/grants/{System.Uri.EscapeDataString(grantId)}";
}
