namespace Delegation.Silo.Api;

/// <summary><c>GET /healthz</c>: the only endpoint without authentication.</summary>
public static class HealthApi
{
    /// <summary>Maps the health endpoint.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Text("ok"));
        return routes;
    }
}
