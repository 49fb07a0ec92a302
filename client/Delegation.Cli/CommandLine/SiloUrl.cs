namespace Delegation.Cli.CommandLine;

/// <summary>Reads the silo URL given on the command line or in the environment.</summary>
internal static class SiloUrl
{
    /// <summary>The URL as an absolute http(s) base address ending with '/', so that a path prefix is kept.</summary>
    /// <exception cref="UsageException">It is not an absolute http or https URL.</exception>
    public static Uri Parse(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"The silo URL must be an absolute http or https URL, e.g. {GlobalOptions.DefaultUrl}; it is '{text}'.");
        }

        return url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
    }
}
