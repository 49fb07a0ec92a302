using Microsoft.Extensions.Options;

namespace Delegation.SampleGateway.Configuration;

/// <summary>Checks <see cref="GatewayOptions"/> and reports every failure at once.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        switch (options.Mode.Trim().ToLowerInvariant())
        {
            case GatewayOptions.HttpMode:
                Http(options, failures);
                break;
            case GatewayOptions.OrleansMode:
                Orleans(options.Orleans, failures);
                break;
            default:
                failures.Add($"Gateway:Mode must be '{GatewayOptions.HttpMode}' or '{GatewayOptions.OrleansMode}'; it is '{options.Mode}'.");
                break;
        }

        BuiltInUpstream(options.BuiltInUpstreamUrl, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Http(GatewayOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.EnforcerKey))
        {
            failures.Add("Set Gateway:EnforcerKey (an enforcer or admin key of the silo), e.g. --Gateway:EnforcerKey \"$KEY\".");
        }

        var urls = options.SiloUrls().ToArray();
        if (urls.Length == 0)
        {
            failures.Add("Gateway:SiloUrl must name at least one silo, e.g. http://localhost:5080 (several: comma-separated).");
        }

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"Gateway:SiloUrl: '{url}' is not an absolute http or https URL.");
            }
        }
    }

    private static void Orleans(GatewayOrleansOptions orleans, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(orleans.ClusterId) || string.IsNullOrWhiteSpace(orleans.ServiceId))
        {
            failures.Add("Gateway:Orleans:ClusterId and Gateway:Orleans:ServiceId must be the silos' (both 'delegation' by default).");
        }

        if (!string.IsNullOrWhiteSpace(orleans.RedisConnectionString))
        {
            return;
        }

        var gateways = orleans.GatewayList().ToArray();
        if (gateways.Length == 0)
        {
            failures.Add("Orleans mode needs Gateway:Orleans:RedisConnectionString (the cluster's membership) or Gateway:Orleans:Gateways (host:port, comma-separated).");
        }

        foreach (var gateway in gateways)
        {
            if (GatewayEndpoints.TryParse(gateway, out _, out _) is { } problem)
            {
                failures.Add($"Gateway:Orleans:Gateways: '{gateway}' {problem}.");
            }
        }
    }

    private static void BuiltInUpstream(string url, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || !uri.IsLoopback)
        {
            failures.Add($"Gateway:BuiltInUpstreamUrl: '{url}' is not a loopback http URL such as http://127.0.0.1:5091 (the demo upstream is not for other hosts); set it empty to run none.");
        }
    }
}
