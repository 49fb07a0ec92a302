using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.SampleMcpServer;

/// <summary>A real payments API on Kestrel over loopback that keeps every payment it gets, with its headers.</summary>
public sealed class RecordingPaymentsApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RecordingPaymentsApi(WebApplication app) => _app = app;

    /// <summary>Where it listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The payments received: the request's headers and its JSON body.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Headers, JsonElement Body)> Payments { get; } = new();

    /// <summary>Starts the API on a free port.</summary>
    public static async Task<RecordingPaymentsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var api = new RecordingPaymentsApi(builder.Build());
        api._app.MapPost("/payments", (Delegate)api.PayAsync);
        await api._app.StartAsync();
        api.Url = new Uri(api._app.Urls.Single().TrimEnd('/') + "/");
        return api;
    }

    /// <summary>The payments whose <c>from</c> account is <paramref name="account"/>.</summary>
    public IReadOnlyList<(Dictionary<string, string> Headers, JsonElement Body)> From(string account) =>
        [.. Payments.Where(p => p.Body.GetProperty("from").GetString() == account)];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> PayAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        Payments.Enqueue((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.RootElement.Clone()));
        return Results.Json(new { id = "pay_" + Payments.Count, status = "sent" }, statusCode: 201);
    }
}
