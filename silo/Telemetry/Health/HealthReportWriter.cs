using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Delegation.Silo.Telemetry.Health;

/// <summary>
/// Writes <c>/readyz</c>'s answer: <c>{"status":"Healthy","checks":{"store":{"status":"Healthy","description":"…"},…}}</c>.
/// Descriptions are the checks' own sentences, never an exception's message (which could name a host or a secret).
/// </summary>
public static class HealthReportWriter
{
    /// <summary>Writes <paramref name="report"/> as JSON.</summary>
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("status", report.Status.ToString());
            writer.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                writer.WriteStartObject(name);
                writer.WriteString("status", entry.Status.ToString());
                writer.WriteString("description", entry.Exception is { } ex ? $"The check failed ({ex.GetType().Name})." : entry.Description);
                writer.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
