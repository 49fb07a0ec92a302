using Microsoft.Extensions.Configuration.Memory;

namespace Delegation.Silo.Hosting;

/// <summary>
/// The silo's logging defaults, beneath every settings file, environment variable and argument, so that a silo
/// started without <c>appsettings.json</c> (a copied binary, a container) is as quiet as one with it: start-up lines
/// and warnings, not four lines per request. Request logging is opt-in with <c>Delegation:LogRequests=true</c>.
/// </summary>
public static class QuietLogging
{
    /// <summary>The switch that logs every request (ASP.NET Core's request start and finish lines).</summary>
    public const string LogRequestsKey = "Delegation:LogRequests";

    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Orleans.Runtime.Watchdog"] = "Error",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    /// <summary>Puts the quiet defaults under the configuration, and applies <see cref="LogRequestsKey"/>.</summary>
    /// <param name="builder">The silo's builder.</param>
    /// <returns>The builder.</returns>
    public static WebApplicationBuilder AddQuietLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        if (builder.Configuration.GetValue<bool>(LogRequestsKey))
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Information);
        }

        return builder;
    }
}
