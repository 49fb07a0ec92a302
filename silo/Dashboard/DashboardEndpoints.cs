using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Delegation.Grains.Errors;
using Microsoft.AspNetCore.StaticFiles;

namespace Delegation.Silo.Dashboard;

/// <summary>
/// Serves the operator dashboard at <c>/dashboard</c>. Its files are built from <c>silo/Dashboard/app</c> by npm during
/// <c>dotnet build</c> and embedded in the silo's assembly (resources named <c>dashboard/...</c>), so the silo serves
/// them wherever it runs, with no content root or wwwroot to find. The files need no key: the page asks for the
/// admin key and every API call it makes is authenticated.
/// </summary>
public static class DashboardEndpoints
{
    private const string ResourcePrefix = "dashboard/";
    private const string IndexFile = "index.html";

    // The page loads only its own scripts and styles and talks only to this silo; uPlot sets inline styles.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Maps <c>/dashboard</c> (the page) and <c>/dashboard/{path}</c> (its assets).</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder routes)
    {
        var assets = LoadAssets(typeof(DashboardEndpoints).Assembly);
        string[] methods = [HttpMethods.Get, HttpMethods.Head];
        routes.MapMethods("/dashboard", methods, context => ServeAsync(context, assets, IndexFile)).AllowAnonymous();
        routes.MapMethods("/dashboard/{**path}", methods, context =>
            ServeAsync(context, assets, context.Request.RouteValues["path"] as string is { Length: > 0 } path ? path : IndexFile)).AllowAnonymous();
        return routes;
    }

    private static async Task ServeAsync(HttpContext context, FrozenDictionary<string, Asset> assets, string path)
    {
        if (!assets.TryGetValue(path, out var asset))
        {
            throw new NotFoundException(assets.Count == 0
                ? "The dashboard was not built into this silo (build the silo with npm on PATH)."
                : $"The dashboard has no file '{path}'.");
        }

        var response = context.Response;
        var headers = response.Headers;
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";

        // Vite names every asset after its content hash, so assets never change; the page itself must be revalidated.
        headers.CacheControl = path == IndexFile ? "no-cache" : "public, max-age=31536000, immutable";
        if (path == IndexFile)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (context.Request.Headers.IfNoneMatch.ToString().Contains(asset.ETag, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            await response.Body.WriteAsync(asset.Content, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static FrozenDictionary<string, Asset> LoadAssets(Assembly assembly)
    {
        var types = new FileExtensionContentTypeProvider();
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var path = name[ResourcePrefix.Length..];
            var contentType = types.TryGetContentType(path, out var known) ? known : "application/octet-stream";
            if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
            {
                contentType += "; charset=utf-8";
            }

            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12))}\"";
            assets[path] = new Asset(content, contentType, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(ReadOnlyMemory<byte> Content, string ContentType, string ETag);
}
