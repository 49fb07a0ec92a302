using System.CommandLine;
using Delegation.Cli.Approvals;
using Delegation.Cli.Audit;
using Delegation.Cli.Checks;
using Delegation.Cli.Enforcers;
using Delegation.Cli.Feed;
using Delegation.Cli.Grants;
using Delegation.Cli.Status;

namespace Delegation.Cli.CommandLine;

/// <summary>The <c>delegation</c> command and its subcommands.</summary>
internal static class DelegationRootCommand
{
    public static RootCommand Create(GlobalOptions globals)
    {
        var root = new RootCommand("delegation: grant, delegate, inspect and revoke AI agents' grants on a delegation silo.");
        globals.AddTo(root);
        root.Subcommands.Add(GrantCommand.Create(globals));
        root.Subcommands.Add(DelegateCommand.Create(globals));
        root.Subcommands.Add(ShowCommand.Create(globals));
        root.Subcommands.Add(TreeCommand.Create(globals));
        root.Subcommands.Add(RevokeCommand.Create(globals));
        root.Subcommands.Add(RevokeAgentCommand.Create(globals));
        root.Subcommands.Add(RevokeUserCommand.Create(globals));
        root.Subcommands.Add(SuspendCommand.Create(globals));
        root.Subcommands.Add(ResumeCommand.Create(globals));
        root.Subcommands.Add(CheckCommand.Create(globals));
        root.Subcommands.Add(ApprovalsCommand.Create(globals));
        root.Subcommands.Add(DecideCommand.Create(globals, approve: true));
        root.Subcommands.Add(DecideCommand.Create(globals, approve: false));
        root.Subcommands.Add(EnforcersCommand.Create(globals));
        root.Subcommands.Add(EventsCommand.Create(globals));
        root.Subcommands.Add(AuditCommand.Create(globals));
        root.Subcommands.Add(StatusCommand.Create(globals));
        return root;
    }
}
