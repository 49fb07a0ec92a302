using Microsoft.Extensions.Options;

namespace Delegation.Silo.Telemetry;

/// <summary>Checks <see cref="TelemetryOptions"/> at start-up and reports every problem at once.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.TraceSampleRatio is < 0 or > 1 || double.IsNaN(options.TraceSampleRatio))
        {
            failures.Add($"{TelemetryOptions.Section}:TraceSampleRatio must be between 0 and 1.");
        }

        if (options.OtlpEndpoint is { Length: > 0 } endpoint
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            failures.Add($"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http or https URL, not '{endpoint}'.");
        }

        if (options.OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            failures.Add($"{TelemetryOptions.Section}:OtlpProtocol must be 'grpc' or 'http/protobuf'.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add($"{TelemetryOptions.Section}:ServiceName must not be empty.");
        }

        Between(options.FeedDelayBound, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "FeedDelayBound", failures);
        Between(options.FeedWatchTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "FeedWatchTimeout", failures);
        Between(options.EnforcerSampleInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "EnforcerSampleInterval", failures);
        Between(options.HealthPublishInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "HealthPublishInterval", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Between(TimeSpan value, TimeSpan min, TimeSpan max, string name, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{TelemetryOptions.Section}:{name} must be between {min:c} and {max:c}.");
        }
    }
}
