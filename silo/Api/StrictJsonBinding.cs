using Microsoft.AspNetCore.Http.Metadata;
using System.Text.Json.Serialization;
using Delegation.Api;

namespace Delegation.Silo.Api;

/// <summary>
/// Body binding through the framework with the API's strict JSON: the source-generated contract, numbers only as
/// numbers, no key twice; a body the binder refuses (not JSON, the wrong type, missing) is thrown as a
/// <see cref="BadHttpRequestException"/> that <see cref="ProblemMiddleware"/> answers with a 400 <c>validation_failed</c>
/// (413 when too large). What the serializer skips is checked before binding by <see cref="StrictJsonBodyMiddleware"/>.
/// </summary>
public static class StrictJsonBinding
{
    /// <summary>Configures the minimal APIs' JSON options and makes their binding failures exceptions.</summary>
    public static IServiceCollection AddStrictJsonBinding(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json =>
        {
            var options = json.SerializerOptions;
            options.TypeInfoResolverChain.Insert(0, DelegationJsonContext.Default);

            // The web defaults read "3" as 3; the contract does not.
            options.NumberHandling = JsonNumberHandling.Strict;
            options.AllowDuplicateProperties = false;
            options.AllowOutOfOrderMetadataProperties = true;
            options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Keeps a body's content type out of routing for every endpoint under <paramref name="routes"/>: routing would
    /// otherwise send a request with the wrong content type (or none) to the 404 fallback, where the binder answers it
    /// with a 400 that says what was wrong. The request type stays, for <see cref="StrictJsonBodyMiddleware"/>.
    /// </summary>
    public static TBuilder WithBodyContentTypeCheckedByTheBinder<TBuilder>(this TBuilder routes)
        where TBuilder : IEndpointConventionBuilder
    {
        routes.Finally(static endpoint =>
        {
            if (endpoint.Metadata.OfType<IAcceptsMetadata>().LastOrDefault() is { RequestType: { } type, ContentTypes.Count: > 0 } accepts)
            {
                endpoint.Metadata.Add(new AcceptsMetadata([], type, accepts.IsOptional));
            }
        });
        return routes;
    }
}
