using Microsoft.Extensions.Options;

namespace Delegation.Silo.OAuth;

/// <summary>Checks <see cref="OAuthOptions"/> at start-up, reporting every problem at once.</summary>
public sealed class OAuthOptionsValidator : IValidateOptions<OAuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AccessTokenLifetime < TimeSpan.FromSeconds(10) || options.AccessTokenLifetime > TimeSpan.FromHours(1))
        {
            failures.Add($"{OAuthOptions.Section}:AccessTokenLifetime must be between 00:00:10 and 01:00:00, not {options.AccessTokenLifetime}.");
        }

        if (options.KeyRotationPeriod < options.AccessTokenLifetime + TimeSpan.FromMinutes(1))
        {
            failures.Add($"{OAuthOptions.Section}:KeyRotationPeriod must be at least AccessTokenLifetime plus a minute ({options.AccessTokenLifetime + TimeSpan.FromMinutes(1)}), so a retired key outlives its tokens.");
        }

        if (!string.IsNullOrEmpty(options.SigningSecret) && !SigningSecret.TryDecode(options.SigningSecret, out _))
        {
            failures.Add($"{OAuthOptions.Section}:SigningSecret must be base64url of at least {SigningSecret.MinBytes} bytes.");
        }

        if (!string.IsNullOrEmpty(options.Issuer)
            && (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("https" or "http") || issuer.Query.Length > 0 || issuer.Fragment.Length > 0))
        {
            failures.Add($"{OAuthOptions.Section}:Issuer must be an http(s) URL without query or fragment, not '{options.Issuer}'.");
        }

        foreach (var audience in options.Audiences)
        {
            if (!AudienceRules.IsValid(audience))
            {
                failures.Add($"{OAuthOptions.Section}:Audiences has '{audience}', which is neither a name nor an absolute URI without a fragment.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
