using System.Globalization;
using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grains.Trees;
using Delegation.Silo.Approvals;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary>
/// Step-up approval: the approval requests of a grant's subtree, and a person's yes or no to one. Persons do not
/// authenticate to the authority themselves: the issuer that acts for them (or an operator with the admin key)
/// approves, and the caller's identity is what the audit records.
/// </summary>
public static class ApprovalsApi
{
    private const int DefaultPendingLimit = 100;
    private const int MaxPendingLimit = 1000;
    private const int TreesAtOnce = 16;
    private static readonly TimeSpan IndexPatience = TimeSpan.FromSeconds(10);

    /// <summary>Maps the approval endpoints.</summary>
    public static IEndpointRouteBuilder MapApprovalsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/grants/{id}/approvals", ListAsync).RequireAuthorization(Policies.Operators);
        routes.MapGet("/v1/approvals", PendingAsync).RequireAuthorization(Policies.Operators);
        var decisions = routes.MapGroup("/v1/approvals/{id}").RequireAuthorization(Policies.Operators);
        decisions.MapPost("/approve", (string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains) =>
            DecideAsync(id, approved: true, body, context, grains));
        decisions.MapPost("/reject", (string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains) =>
            DecideAsync(id, approved: false, body, context, grains));
        return routes;
    }

    private static async Task<IResult> ListAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var approvals = await grains.GetGrant(id).GetApprovalsAsync();
        return TypedResults.Json(approvals, DelegationJsonContext.Default.IReadOnlyListApprovalView);
    }

    // Every tree the index says has a request open is asked for its requests (a few at a time); the index only names
    // trees, so what is listed is always the tree grain's own view.
    private static async Task<IResult> PendingAsync(HttpContext context, IGrainFactory grains, PendingApprovalIndex index)
    {
        var query = context.Request.Query;
        if (query["status"].ToString() is { Length: > 0 } status && status != "pending")
        {
            throw new RequestValidationException($"'status' must be 'pending' (the only list across trees), not '{status}'.");
        }

        var limit = DefaultPendingLimit;
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxPendingLimit))
        {
            throw new RequestValidationException($"'limit' must be a whole number from 1 to {MaxPendingLimit}.");
        }

        await index.CatchUpAsync(IndexPatience, context.RequestAborted);

        var waiting = new List<ApprovalView>();
        var trees = index.OpenTrees();
        foreach (var batch in trees.Chunk(TreesAtOnce))
        {
            var lists = await Task.WhenAll(batch.Select(tree => ReadOpenAsync(grains, tree)));
            waiting.AddRange(lists.SelectMany(l => l).Where(a => a.Status == "pending"));
        }

        var page = waiting.OrderBy(a => a.RequestedAt).ThenBy(a => a.Id, StringComparer.Ordinal).Take(limit).ToArray();
        return TypedResults.Json(
            new PendingApprovalsPage(page, Complete: waiting.Count <= limit && !index.Overflowed),
            DelegationJsonContext.Default.PendingApprovalsPage);
    }

    private static async Task<IReadOnlyList<ApprovalView>> ReadOpenAsync(IGrainFactory grains, string treeId)
    {
        try
        {
            return await grains.GetGrant(treeId).GetApprovalsAsync();
        }
        catch (NotFoundException)
        {
            // The tree is gone (forgotten after its last grant expired): nothing of it waits.
            return [];
        }
    }

    private static async Task<IResult> DecideAsync(string id, bool approved, StatusChangeRequest? body, HttpContext context, IGrainFactory grains)
    {
        var caller = Caller.Of(context);
        var view = await grains.DecideApprovalAsync(id, approved, caller.Actor, body?.Reason);
        return TypedResults.Json(view, DelegationJsonContext.Default.ApprovalView);
    }
}
