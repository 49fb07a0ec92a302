using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Delegation.LoadTest.Cli;

/// <summary>The <c>--url</c> of a silo to drive: absolute http(s), and on this machine's loopback only.</summary>
public static class SiloUrl
{
    /// <summary>Parses <paramref name="text"/>; the error says why it was refused.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? url, out string error)
    {
        error = string.Empty;
        if (!Uri.TryCreate(text, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
        {
            error = $"--url must be an absolute http or https URL, not '{text}'.";
            url = null;
            return false;
        }

        if (!url.IsLoopback && !(IPAddress.TryParse(url.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))
        {
            error = $"--url must be a loopback address (127.0.0.0/8, localhost or [::1]); {url.Host} is not.";
            url = null;
            return false;
        }

        return true;
    }
}
