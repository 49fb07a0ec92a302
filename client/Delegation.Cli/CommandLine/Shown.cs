using Delegation.Grants;
using Spectre.Console;

namespace Delegation.Cli.CommandLine;

/// <summary>
/// Text from the server as the terminal shows it: invisible, control and bidirectional characters escaped as
/// <c>\u{XXXX}</c> (so a stored name reads as what it holds), then escaped for Spectre markup.
/// </summary>
internal static class Shown
{
    public static string Escape(string text) => Markup.Escape(NameCharacters.Visible(text));
}
