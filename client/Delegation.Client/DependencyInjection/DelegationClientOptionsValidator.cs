using Microsoft.Extensions.Options;

namespace Delegation.Client;

/// <summary>Checks <see cref="DelegationClientOptions"/> and reports every failure at once.</summary>
internal sealed class DelegationClientOptionsValidator : IValidateOptions<DelegationClientOptions>
{
    // HttpClient rejects timeouts beyond int.MaxValue milliseconds.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public ValidateOptionsResult Validate(string? name, DelegationClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (BaseAddressProblem(options.BaseAddress) is { } address)
        {
            failures.Add(address);
        }

        if (CredentialRules.Problem(options.Credential) is { } credential)
        {
            failures.Add($"{nameof(DelegationClientOptions.Credential)}: {credential}");
        }

        if (options.Timeout != Timeout.InfiniteTimeSpan && (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout))
        {
            failures.Add($"{nameof(DelegationClientOptions.Timeout)} must be positive and at most {MaxTimeout}, or Timeout.InfiniteTimeSpan; it is {options.Timeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? BaseAddressProblem(Uri? address) => address switch
    {
        null => $"{nameof(DelegationClientOptions.BaseAddress)} is required: the silo URL, e.g. {DelegationClientOptions.DefaultBaseAddress}.",
        { IsAbsoluteUri: false } => $"{nameof(DelegationClientOptions.BaseAddress)} must be an absolute URL; it is '{address}'.",
        _ when address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps =>
            $"{nameof(DelegationClientOptions.BaseAddress)} must be http or https; it is '{address.Scheme}'.",
        _ => null,
    };
}
