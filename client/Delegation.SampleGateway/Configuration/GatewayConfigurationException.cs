namespace Delegation.SampleGateway.Configuration;

/// <summary>The gateway's configuration cannot work; the message lists every problem found, one per line.</summary>
public sealed class GatewayConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayConfigurationException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public GatewayConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public GatewayConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>An exception listing <paramref name="problems"/>.</summary>
    public static GatewayConfigurationException Of(IReadOnlyList<string> problems) =>
        new("The gateway's configuration is not valid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
}
