using System.CommandLine;

namespace Delegation.Cli.Status;

/// <summary>The <c>--reason</c> of a status change, recorded in the tree's events for the audit trail.</summary>
internal static class ReasonOption
{
    public static Option<string?> Create() => new("--reason")
    {
        Description = "Why, recorded in the event for the audit trail",
        HelpName = "text",
    };
}
