using System.CommandLine;

namespace Delegation.Cli.CommandLine;

/// <summary>Binds a command's body to its action, with the session and the error handling every command shares.</summary>
internal static class CliAction
{
    /// <summary>
    /// Sets <paramref name="body"/> as the action of <paramref name="command"/>: it gets a fresh session, and every
    /// failure it throws is reported once, by <see cref="ErrorReport"/>, as the exit code of its class.
    /// </summary>
    public static void Set(Command command, GlobalOptions globals, Func<CliSession, ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parsed, cancellationToken) =>
        {
            using var session = CliSession.Create(parsed, globals);
            try
            {
                return await body(session, parsed, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: whatever the interrupted call threw says nothing about the silo.
                return ExitCodes.Interrupted;
            }
            catch (Exception e)
            {
                return ErrorReport.Write(session, e);
            }
        });
    }
}
