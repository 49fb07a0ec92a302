namespace Delegation.Cli.CommandLine;

/// <summary>The command line cannot be carried out as given (exit code 2); nothing was sent to the silo.</summary>
internal sealed class UsageException(string message) : Exception(message);
