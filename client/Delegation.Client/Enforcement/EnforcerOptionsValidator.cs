using Microsoft.Extensions.Options;

namespace Delegation.Client;

/// <summary>Checks <see cref="EnforcerOptions"/> and reports every failure at once.</summary>
internal sealed class EnforcerOptionsValidator : IValidateOptions<EnforcerOptions>
{
    private const int MaxNameLength = 256;
    private static readonly TimeSpan MaxLeaseLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>True when the enforcer is given its transport: silo URLs and credential are the HTTP transport's, and not needed.</summary>
    public bool ForTransport { get; init; }

    /// <summary>True when the given transport reads the authority's signing keys itself (no HTTP authority needed).</summary>
    public bool TransportReadsKeys { get; init; }

    public ValidateOptionsResult Validate(string? name, EnforcerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!ForTransport && options.Transport is null)
        {
            SiloUrls(options.SiloUrls, failures);
            if (CredentialRules.Problem(options.Credential) is { } credential)
            {
                failures.Add($"{nameof(EnforcerOptions.Credential)}: {credential}");
            }
        }

        if (NameProblem(options.Name) is { } nameProblem)
        {
            failures.Add(nameProblem);
        }

        Positive(options.MaxStaleness, nameof(EnforcerOptions.MaxStaleness), failures);
        if (options.CacheCapacity < 1)
        {
            failures.Add($"{nameof(EnforcerOptions.CacheCapacity)} must be at least 1; it is {options.CacheCapacity}.");
        }

        Leases(options, failures);
        AccessTokens(options, failures);
        Positive(options.IdleSettleAfter, nameof(EnforcerOptions.IdleSettleAfter), failures);
        if (options.DecisionReportInterval < TimeSpan.FromMilliseconds(10) || options.DecisionReportInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{nameof(EnforcerOptions.DecisionReportInterval)} must be between 10 ms and 1 minute; it is {options.DecisionReportInterval}.");
        }

        if (options.DecisionReportCapacity is < 16 or > 1 << 24)
        {
            failures.Add($"{nameof(EnforcerOptions.DecisionReportCapacity)} must be between 16 and {1 << 24}; it is {options.DecisionReportCapacity}.");
        }

        Positive(options.RequestTimeout, nameof(EnforcerOptions.RequestTimeout), failures);
        Positive(options.ReconnectDelay, nameof(EnforcerOptions.ReconnectDelay), failures);
        Positive(options.MaxReconnectDelay, nameof(EnforcerOptions.MaxReconnectDelay), failures);
        if (options.MaxReconnectDelay < options.ReconnectDelay)
        {
            failures.Add($"{nameof(EnforcerOptions.MaxReconnectDelay)} ({options.MaxReconnectDelay}) must not be less than {nameof(EnforcerOptions.ReconnectDelay)} ({options.ReconnectDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void SiloUrls(IList<Uri>? urls, List<string> failures)
    {
        if (urls is null || urls.Count == 0)
        {
            failures.Add($"{nameof(EnforcerOptions.SiloUrls)} must list at least one silo URL, e.g. http://localhost:5080/.");
            return;
        }

        for (var i = 0; i < urls.Count; i++)
        {
            var url = urls[i];
            if (url is null || !url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{nameof(EnforcerOptions.SiloUrls)}[{i}] must be an absolute http or https URL; it is '{url}'.");
            }
        }
    }

    private static string? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name != name.Trim() || name.Any(char.IsControl))
        {
            return $"{nameof(EnforcerOptions.Name)} must be 1 to {MaxNameLength} printable characters without leading or trailing spaces.";
        }

        return null;
    }

    private static void Leases(EnforcerOptions options, List<string> failures)
    {
        if (options.LeaseUnits < 1)
        {
            failures.Add($"{nameof(EnforcerOptions.LeaseUnits)} must be at least 1; it is {options.LeaseUnits}.");
        }

        if (options.MaxLeaseUnits < options.LeaseUnits)
        {
            failures.Add($"{nameof(EnforcerOptions.MaxLeaseUnits)} ({options.MaxLeaseUnits}) must not be less than {nameof(EnforcerOptions.LeaseUnits)} ({options.LeaseUnits}).");
        }

        if (options.LeaseLifetime < TimeSpan.FromSeconds(1) || options.LeaseLifetime > MaxLeaseLifetime)
        {
            failures.Add($"{nameof(EnforcerOptions.LeaseLifetime)} must be between 1 second and {MaxLeaseLifetime.TotalMinutes} minutes; it is {options.LeaseLifetime}.");
        }

        if (options.LeaseExpiryMargin < TimeSpan.Zero || options.LeaseExpiryMargin >= options.LeaseLifetime)
        {
            failures.Add($"{nameof(EnforcerOptions.LeaseExpiryMargin)} must be at least zero and less than {nameof(EnforcerOptions.LeaseLifetime)} ({options.LeaseLifetime}); it is {options.LeaseExpiryMargin}.");
        }
    }

    private static void Positive(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value > MaxDelay)
        {
            failures.Add($"{name} must be positive and at most {MaxDelay}; it is {value}.");
        }
    }

    private void AccessTokens(EnforcerOptions options, List<string> failures)
    {
        var tokens = options.AccessTokens;
        if (tokens.Audience is null)
        {
            return;
        }

        const string Prefix = nameof(EnforcerOptions.AccessTokens) + ":";
        if (tokens.Audience.Length == 0 || tokens.Audience.Length > 256)
        {
            failures.Add($"{Prefix}{nameof(AccessTokenOptions.Audience)} must be 1 to 256 characters.");
        }

        if (tokens.Authority is { } authority)
        {
            if (!authority.IsAbsoluteUri || authority.Scheme is not ("http" or "https"))
            {
                failures.Add($"{Prefix}{nameof(AccessTokenOptions.Authority)} must be an absolute http or https URL, not '{authority}'.");
            }
        }
        else if (ForTransport ? !TransportReadsKeys : options.Transport is null && options.SiloUrls.Count == 0)
        {
            failures.Add($"{Prefix}{nameof(AccessTokenOptions.Authority)} is required when the enforcer has no silo URLs and its transport does not read the keys: they are read from the authority over HTTP.");
        }

        Positive(tokens.KeyRefreshInterval, Prefix + nameof(AccessTokenOptions.KeyRefreshInterval), failures);
        Positive(tokens.MinKeyRefreshInterval, Prefix + nameof(AccessTokenOptions.MinKeyRefreshInterval), failures);
        if (tokens.ClockSkew < TimeSpan.Zero || tokens.ClockSkew > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}{nameof(AccessTokenOptions.ClockSkew)} must be between 0 and 5 minutes, not {tokens.ClockSkew}.");
        }
    }
}
