namespace Delegation.SampleMcpServer.Configuration;

/// <summary>The MCP server's configuration cannot work; the message lists every problem found, one per line.</summary>
public sealed class McpServerConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpServerConfigurationException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public McpServerConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public McpServerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An exception listing <paramref name="problems"/>.</summary>
    public static McpServerConfigurationException Of(IReadOnlyList<string> problems) =>
        new("The MCP server's configuration is not valid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
}
