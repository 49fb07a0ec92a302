using System.CommandLine;

namespace Delegation.Cli.CommandLine;

/// <summary>
/// The options every command takes: where the silo is, which credential to send, and whether to print JSON.
/// </summary>
internal sealed class GlobalOptions
{
    /// <summary>The environment variable that gives the silo URL when <c>--url</c> is absent.</summary>
    public const string UrlVariable = "DELEGATION_URL";

    /// <summary>The environment variable that gives the credential when <c>--key</c> is absent.</summary>
    public const string KeyVariable = "DELEGATION_KEY";

    /// <summary>Where a silo listens unless told otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    // No DefaultValueFactory on --key: help prints default values, and the key must never be printed.
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The silo's URL [env {UrlVariable}; default {DefaultUrl}]",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"The bearer credential: an admin, issuer or enforcer key, or a grant token; '-' reads it from standard input [env {KeyVariable}]. Never printed.",
        HelpName = "key",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output: the API's JSON on standard output (one object per line for tails); errors as problem+json on standard error",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command, from where every subcommand sees them.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Key);
        root.Options.Add(Json);
    }
}
