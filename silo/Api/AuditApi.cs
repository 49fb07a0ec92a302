using System.Globalization;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grains.Audit;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Grants;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary>
/// <c>GET /v1/audit</c>: the decision log, filtered and paged (or exported as JSON lines); and
/// <c>POST /v1/decisions</c>, where enforcers report the decisions they made from their caches.
/// </summary>
public static class AuditApi
{
    private const int MaxPage = 1000;
    private const int MaxBatch = 10_000;

    /// <summary>Maps the audit endpoints.</summary>
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/audit", QueryAsync).RequireAuthorization(Policies.Operators);
        routes.MapPost("/v1/decisions", Report).RequireAuthorization(Policies.Enforcers);
        return routes;
    }

    private static async Task<IResult> QueryAsync(HttpContext context, IDecisionLog log)
    {
        var query = ReadQuery(context.Request.Query);
        if (context.Request.Query["format"].ToString() is { Length: > 0 } format)
        {
            if (format != "jsonl")
            {
                throw new RequestValidationException($"'format' must be 'jsonl', not '{format}'.");
            }

            await ExportAsync(context, log, query);
            return TypedResults.Empty;
        }

        var result = await log.QueryAsync(query, context.RequestAborted);
        var page = new AuditPage(result.Items, result.NextBefore?.ToString(CultureInfo.InvariantCulture));
        return TypedResults.Json(page, DelegationJsonContext.Default.AuditPage);
    }

    // Decisions about grants go to their tree's grain, which records them and passes them to the anomaly rules (the
    // grant's activity lives there, whichever silo the enforcer reports to); the others are only recorded.
    private static async Task<IResult> Report([FromBody] DecisionBatch batch, DecisionRecorder recorder, IGrainFactory grains)
    {
        if (batch.Decisions is not { Count: > 0 and <= MaxBatch } decisions)
        {
            throw new RequestValidationException($"'decisions' must hold 1 to {MaxBatch} decisions.");
        }

        foreach (var decision in decisions)
        {
            if (decision is null || string.IsNullOrEmpty(decision.Action) || string.IsNullOrEmpty(decision.Enforcer) || decision.Chain is null)
            {
                throw new RequestValidationException("Every decision needs 'action', 'enforcer' and 'chain'.");
            }
        }

        var byTree = new Dictionary<string, List<DecisionRecord>>(StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            if (decision.GrantId is { } grantId && GrantId.IsValid(grantId))
            {
                var tree = GrantId.TreeOf(grantId);
                if (!byTree.TryGetValue(tree, out var list))
                {
                    byTree.Add(tree, list = []);
                }

                list.Add(decision);
            }
            else
            {
                recorder.Record(decision);
            }
        }

        await Task.WhenAll(byTree.Select(t => grains.GetTree(t.Key).ReportDecisionsAsync(t.Value).AsTask()));
        return TypedResults.Accepted((string?)null);
    }

    private static async Task ExportAsync(HttpContext context, IDecisionLog log, AuditQuery query)
    {
        context.Response.ContentType = "application/x-ndjson";
        var newline = "\n"u8.ToArray();
        query = query with { Limit = MaxPage };
        while (true)
        {
            var result = await log.QueryAsync(query, context.RequestAborted);
            foreach (var item in result.Items)
            {
                await JsonSerializer.SerializeAsync(context.Response.Body, item, DelegationJsonContext.Default.DecisionRecord, context.RequestAborted);
                await context.Response.Body.WriteAsync(newline, context.RequestAborted);
            }

            if (result.NextBefore is not { } next)
            {
                return;
            }

            query = query with { Before = next };
        }
    }

    private static AuditQuery ReadQuery(IQueryCollection q)
    {
        var limit = Number(q, "limit") ?? 100;
        if (limit is < 1 or > MaxPage)
        {
            throw new RequestValidationException($"'limit' must be between 1 and {MaxPage}.");
        }

        Decision? decision = q["decision"].ToString() switch
        {
            "" => null,
            "allow" => Decision.Allow,
            "deny" => Decision.Deny,
            var other => throw new RequestValidationException($"'decision' must be 'allow' or 'deny', not '{other}'."),
        };
        var subtree = q["subtree"].ToString();
        if (subtree.Length > 0 && !bool.TryParse(subtree, out _))
        {
            throw new RequestValidationException($"'subtree' must be true or false, not '{subtree}'.");
        }

        return new AuditQuery(
            Text(q, "agent"), Text(q, "user"), Text(q, "grant"), subtree.Length > 0 && bool.Parse(subtree), Text(q, "action"),
            decision, Time(q, "from"), Time(q, "to"), Number(q, "cursor"), (int)limit);
    }

    private static string? Text(IQueryCollection q, string name) => q[name].ToString() is { Length: > 0 } value ? value : null;

    private static long? Number(IQueryCollection q, string name) => q[name].ToString() switch
    {
        "" => null,
        var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw new RequestValidationException($"'{name}' must be a non-negative integer, not '{text}'."),
    };

    internal static DateTimeOffset? Time(IQueryCollection q, string name) => q[name].ToString() switch
    {
        "" => null,
        var text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) => value,
        var text => throw new RequestValidationException($"'{name}' must be an ISO 8601 time, not '{text}'."),
    };
}
