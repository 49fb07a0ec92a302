using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Delegation.Tests.SampleGateway;

/// <summary>A real upstream on Kestrel over loopback that counts the requests it gets and keeps their headers.</summary>
public sealed class CountingUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private CountingUpstream(WebApplication app) => _app = app;

    /// <summary>Where it listens, e.g. http://127.0.0.1:40123/.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The headers of each request received, by its <c>X-Test-Id</c> header.</summary>
    public ConcurrentDictionary<string, Dictionary<string, string>> HeadersById { get; } = new(StringComparer.Ordinal);

    /// <summary>Starts an upstream on a free port.</summary>
    public static async Task<CountingUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var upstream = new CountingUpstream(builder.Build());
        upstream._app.Run(upstream.HandleAsync);
        await upstream._app.StartAsync();
        upstream.Url = new Uri(upstream._app.Urls.Single().TrimEnd('/') + "/");
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (context.Request.Headers["X-Test-Id"].ToString() is { Length: > 0 } id)
        {
            HeadersById[id] = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        }

        return context.Response.WriteAsync($"upstream {context.Request.Method} {context.Request.Path}");
    }
}
