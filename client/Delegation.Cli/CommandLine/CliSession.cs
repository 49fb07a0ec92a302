using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Delegation.Client;
using Spectre.Console;

namespace Delegation.Cli.CommandLine;

/// <summary>
/// What one invocation of a command works with: the silo's URL and the credential (resolved only when a command
/// talks to the silo, so <c>--help</c> needs neither), the HTTP connection, the consoles and the clock.
/// </summary>
internal sealed class CliSession : IDisposable
{
    /// <summary>How long a call may take unless a command needs longer (<c>revoke --wait</c>).</summary>
    public static readonly TimeSpan DefaultHttpTimeout = TimeSpan.FromSeconds(30);

    private readonly string? _urlText;
    private readonly string? _keyText;
    private HttpClient? _http;
    private string? _stdinCredential;

    private CliSession(string? urlText, string? keyText, bool json, IAnsiConsole output, IAnsiConsole error, TextWriter rawOutput, TimeProvider time)
    {
        _urlText = urlText;
        _keyText = keyText;
        Json = json;
        Out = output;
        Error = error;
        RawOut = rawOutput;
        Time = time;
    }

    /// <summary>True when the caller asked for machine-readable output (<c>--json</c>).</summary>
    public bool Json { get; }

    /// <summary>Human output (standard output).</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Errors, warnings and notices (standard error), so that standard output stays clean for pipes.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Standard output unwrapped and unstyled: JSON documents, and tokens that must copy whole.</summary>
    public TextWriter RawOut { get; }

    /// <summary>The clock, for countdowns and retry delays.</summary>
    public TimeProvider Time { get; }

    /// <summary>How long one HTTP call may take; set before the first call.</summary>
    public TimeSpan HttpTimeout { get; set; } = DefaultHttpTimeout;

    /// <summary>The silo's base URL, always ending with '/'.</summary>
    public Uri Url => SiloUrl.Parse(_urlText ?? Environment.GetEnvironmentVariable(GlobalOptions.UrlVariable) ?? GlobalOptions.DefaultUrl);

    /// <summary>The HTTP connection to the silo, created on first use.</summary>
    public HttpClient Http => _http ??= new HttpClient { BaseAddress = Url, Timeout = HttpTimeout };

    /// <summary>Creates the session of one invocation from its parsed command line.</summary>
    public static CliSession Create(ParseResult parsed, GlobalOptions globals) => new(
        parsed.GetValue(globals.Url),
        parsed.GetValue(globals.Key),
        parsed.GetValue(globals.Json),
        Consoles.Create(Console.Out, Console.IsOutputRedirected),
        Consoles.Create(Console.Error, Console.IsErrorRedirected),
        Console.Out,
        TimeProvider.System);

    /// <summary>
    /// The credential to send: <paramref name="override"/> when given (e.g. a holder's <c>--token</c>), else
    /// <c>--key</c>, else <c>DELEGATION_KEY</c>. <c>-</c> reads it from standard input.
    /// </summary>
    /// <exception cref="UsageException">There is no credential.</exception>
    public string Credential(string? @override = null)
    {
        var text = @override ?? _keyText ?? Environment.GetEnvironmentVariable(GlobalOptions.KeyVariable);
        if (text == "-")
        {
            text = _stdinCredential ??= Console.In.ReadLine()?.Trim();
        }

        return string.IsNullOrWhiteSpace(text)
            ? throw new UsageException($"No credential: pass --key or set {GlobalOptions.KeyVariable} (an admin or issuer key, or a grant token).")
            : text;
    }

    /// <summary>A typed client that sends <see cref="Credential"/> (or <paramref name="override"/>).</summary>
    /// <exception cref="UsageException">There is no usable credential or URL.</exception>
    public DelegationClient Client(string? @override = null)
    {
        var credential = Credential(@override);
        try
        {
            return new DelegationClient(Http, credential);
        }
        catch (ArgumentException e)
        {
            // The client's message describes what is wrong with the credential without echoing it.
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Writes one JSON document on one line of standard output.</summary>
    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        RawOut.WriteLine(JsonSerializer.Serialize(value, typeInfo));
        RawOut.Flush();
    }

    public void Dispose() => _http?.Dispose();
}
