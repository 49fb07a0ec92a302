namespace Delegation.Cli.CommandLine;

/// <summary>
/// The process exit codes: one per class of outcome, so that a script can branch on the code without parsing
/// what was printed.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Done (for <c>check</c>: allowed).</summary>
    public const int Ok = 0;

    /// <summary><c>check</c> answered deny: an answer, not an error, but a script wants to branch on it.</summary>
    public const int Denied = 1;

    /// <summary>The command line is wrong: unknown command or option, missing argument, no credential.</summary>
    public const int Usage = 2;

    /// <summary>The credential was refused (401 unauthorized) or may not do this (403 forbidden).</summary>
    public const int Auth = 3;

    /// <summary>No such grant (or endpoint): 404 not_found.</summary>
    public const int NotFound = 4;

    /// <summary>The silo refused the request as invalid or not allowed by the model: 400, 409, 413, 422.</summary>
    public const int Refused = 5;

    /// <summary>No silo answered, or it answered 503 authority_unavailable.</summary>
    public const int Unavailable = 6;

    /// <summary>Anything else: an unexpected answer (500 internal_error, a body this tool cannot read).</summary>
    public const int Failed = 7;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT), except where Ctrl+C is the normal way to stop (tails).</summary>
    public const int Interrupted = 130;
}
