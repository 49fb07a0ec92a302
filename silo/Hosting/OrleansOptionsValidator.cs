using System.Net;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Hosting;

/// <summary>Checks <see cref="OrleansOptions"/> at start-up and reports every problem at once.</summary>
public sealed class OrleansOptionsValidator : IValidateOptions<OrleansOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OrleansOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"{OrleansOptions.Section}:SiloPort must be between 1 and 65535.");
        }

        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            failures.Add($"{OrleansOptions.Section}:GatewayPort must be between 1 and 65535 and differ from SiloPort.");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId) || string.IsNullOrWhiteSpace(options.ServiceId))
        {
            failures.Add($"{OrleansOptions.Section}:ClusterId and ServiceId must not be empty.");
        }

        if (options.AdvertisedAddress is { } address && !IPAddress.TryParse(address, out _))
        {
            failures.Add($"{OrleansOptions.Section}:AdvertisedAddress must be an IP address, not '{address}'.");
        }

        if (options.CollectionAge < TimeSpan.FromMinutes(1))
        {
            failures.Add($"{OrleansOptions.Section}:CollectionAge must be at least 1 minute.");
        }

        if (options.DueSweepInterval < TimeSpan.FromMilliseconds(100) || options.DueSweepInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{OrleansOptions.Section}:DueSweepInterval must be between 100 ms and 10 minutes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
