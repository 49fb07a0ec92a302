using Delegation.Api;
using Delegation.Cli.CommandLine;
using Delegation.Client;
using Spectre.Console;

namespace Delegation.Cli.Feed;

/// <summary>
/// Follows the change feed until cancelled. A stream the silo closes or that breaks is resumed after the last
/// event seen, so nothing is lost or repeated; a silo that cannot be reached at the start is an error.
/// </summary>
internal sealed class FeedFollower(CliSession session)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Calls <paramref name="onEvent"/> for every event after <paramref name="after"/>, in order, until cancelled.</summary>
    public async Task FollowAsync(long after, Action<FeedEvent> onEvent, CancellationToken cancellationToken)
    {
        var client = session.Client();
        var connected = false;
        var delay = FirstRetryDelay;
        while (true)
        {
            try
            {
                await foreach (var item in client.ReadFeedAsync(after, cancellationToken).ConfigureAwait(false))
                {
                    connected = true;
                    delay = FirstRetryDelay;
                    if (!item.IsHeartbeat)
                    {
                        onEvent(item.Event);
                        after = item.Event.Seq;
                    }
                }
            }
            catch (DelegationUnavailableException) when (connected && !cancellationToken.IsCancellationRequested)
            {
                // Reconnect below: the silo restarted or the connection broke.
            }

            session.Error.MarkupLine($"[grey]feed interrupted; resuming after #{after} in {Durations.Format(delay)}[/]");
            await Task.Delay(delay, session.Time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }
}
