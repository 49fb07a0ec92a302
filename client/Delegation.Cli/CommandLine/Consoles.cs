using Spectre.Console;

namespace Delegation.Cli.CommandLine;

/// <summary>Creates the Spectre consoles the commands draw on.</summary>
internal static class Consoles
{
    // A redirected stream has no terminal width; 80 columns would wrap ids and tokens in logs and pipes.
    private const int RedirectedWidth = 200;

    /// <summary>
    /// A console writing to <paramref name="writer"/>: colours only on a terminal that supports them (and not
    /// with <c>NO_COLOR</c>), plain text into files and pipes.
    /// </summary>
    public static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(writer),
        });
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }
}
