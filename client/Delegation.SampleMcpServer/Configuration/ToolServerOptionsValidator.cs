using Microsoft.Extensions.Options;

namespace Delegation.SampleMcpServer.Configuration;

/// <summary>Checks <see cref="ToolServerOptions"/> and reports every failure at once.</summary>
public sealed class ToolServerOptionsValidator : IValidateOptions<ToolServerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ToolServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IsHttpUrl(options.ResourceUri, out var resource) || resource.AbsolutePath == "/" || !string.IsNullOrEmpty(resource.Query) || !string.IsNullOrEmpty(resource.Fragment))
        {
            failures.Add($"McpServer:ResourceUri must be the MCP endpoint's absolute http(s) URL with a path and no query or fragment, e.g. http://localhost:5086/mcp; it is '{options.ResourceUri}'.");
        }

        if (string.IsNullOrWhiteSpace(options.EnforcerKey))
        {
            failures.Add("Set McpServer:EnforcerKey (an enforcer or admin key of the silo), e.g. --McpServer:EnforcerKey \"$KEY\".");
        }

        var silos = options.SiloUrls().ToArray();
        if (silos.Length == 0)
        {
            failures.Add("McpServer:SiloUrl must name at least one silo, e.g. http://localhost:5080 (several: comma-separated).");
        }

        failures.AddRange(silos.Where(url => !IsHttpUrl(url, out _)).Select(url => $"McpServer:SiloUrl: '{url}' is not an absolute http or https URL."));
        if (!string.IsNullOrWhiteSpace(options.AuthorizationServer) && !IsHttpUrl(options.AuthorizationServer, out _))
        {
            failures.Add($"McpServer:AuthorizationServer: '{options.AuthorizationServer}' is not an absolute http or https URL.");
        }

        if (!IsHttpUrl(options.PaymentsUrl, out _))
        {
            failures.Add($"McpServer:PaymentsUrl: '{options.PaymentsUrl}' is not an absolute http or https URL.");
        }

        if (!string.IsNullOrWhiteSpace(options.BuiltInPaymentsUrl)
            && (!Uri.TryCreate(options.BuiltInPaymentsUrl, UriKind.Absolute, out var builtIn) || builtIn.Scheme != Uri.UriSchemeHttp || !builtIn.IsLoopback))
        {
            failures.Add($"McpServer:BuiltInPaymentsUrl: '{options.BuiltInPaymentsUrl}' is not a loopback http URL such as http://127.0.0.1:5092 (the demo payments API is not for other hosts); set it empty to run none.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string? text, out Uri uri) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
