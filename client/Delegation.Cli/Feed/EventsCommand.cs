using System.CommandLine;
using Delegation.Api;
using Delegation.Cli.CommandLine;
using Spectre.Console;

namespace Delegation.Cli.Feed;

/// <summary><c>delegation events tail</c>: follows every tree event (grants, delegations, revocations, leases) live.</summary>
internal static class EventsCommand
{
    private const int DefaultLast = 10;

    public static Command Create(GlobalOptions globals)
    {
        var after = new Option<long?>("--after")
        {
            Description = "Start after this feed position (0 for the whole history); default: the last --last events",
            HelpName = "seq",
        };
        var last = new Option<int>("--last")
        {
            Description = "Without --after, first show this many of the latest events",
            HelpName = "n",
            DefaultValueFactory = _ => DefaultLast,
        };
        var tail = new Command("tail", "Follow the change feed live until Ctrl+C: every tree event in global order (needs an admin or enforcer key).")
        {
            after,
            last,
        };
        tail.Validators.Add(result =>
        {
            if (result.GetValue(after) is < 0 || result.GetValue(last) < 0)
            {
                result.AddError("--after and --last must not be negative.");
            }
        });
        CliAction.Set(tail, globals, async (session, parsed, cancellationToken) =>
        {
            var start = parsed.GetValue(after) ?? await LatestAsync(session, parsed.GetValue(last), cancellationToken).ConfigureAwait(false);
            try
            {
                await new FeedFollower(session).FollowAsync(start, e => Write(session, e), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a tail ends.
            }

            return ExitCodes.Ok;
        });
        return new Command("events", "The change feed: every state change of every tree.") { tail };
    }

    private static async Task<long> LatestAsync(CliSession session, int last, CancellationToken cancellationToken)
    {
        var head = (await session.Client().GetEnforcersAsync(cancellationToken).ConfigureAwait(false)).Head;
        return Math.Max(0, head - last);
    }

    private static void Write(CliSession session, FeedEvent e)
    {
        if (session.Json)
        {
            session.WriteJson(e, DelegationJsonContext.Default.FeedEvent);
        }
        else
        {
            session.Out.MarkupLine(FeedEventMarkup.Line(e));
        }
    }
}
