using Delegation.Api;
using Delegation.Grains.Trees;
using Delegation.Silo.Security;
using Microsoft.AspNetCore.Mvc;

namespace Delegation.Silo.Api;

/// <summary><c>/v1/grants</c>: create, delegate, read, revoke, suspend, resume.</summary>
public static class GrantsApi
{
    /// <summary>Maps the grant endpoints.</summary>
    public static IEndpointRouteBuilder MapGrantsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/grants");
        group.MapPost("/", CreateAsync).RequireAuthorization(Policies.Operators);
        group.MapGet("/", FindAsync).RequireAuthorization(Policies.Operators);
        group.MapPost("/{id}/delegations", DelegateAsync).RequireAuthorization(Policies.Delegators);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.GrantReaders);
        group.MapGet("/{id}/tree", GetTreeAsync).RequireAuthorization(Policies.GrantReaders);
        group.MapGet("/{id}/chain", GetChainAsync).RequireAuthorization(Policies.Enforcers);
        group.MapGet("/{id}/explain", ExplainAsync).RequireAuthorization(Policies.Operators);
        group.MapPost("/{id}/revoke", RevokeAsync).RequireAuthorization(Policies.GrantRevokers);
        group.MapPost("/{id}/suspend", SuspendAsync).RequireAuthorization(Policies.Operators);
        group.MapPost("/{id}/resume", ResumeAsync).RequireAuthorization(Policies.Operators);
        return routes;
    }

    private static async Task<IResult> CreateAsync([FromBody] CreateGrantRequest request, IGrainFactory grains)
    {
        var created = await grains.NewRootGrant().CreateRootAsync(request);
        return Created(created);
    }

    private static async Task<IResult> FindAsync(HttpContext context, IGrainFactory grains, Grains.Storage.IEventStore store)
    {
        const int Max = 200;
        var agent = context.Request.Query["agent"].ToString();
        var user = context.Request.Query["user"].ToString();
        if ((agent.Length == 0) == (user.Length == 0))
        {
            throw new Grains.Errors.RequestValidationException("Give exactly one of 'agent' and 'user'.");
        }

        var locators = agent.Length > 0
            ? await store.FindGrantsByAgentAsync(agent, context.RequestAborted)
            : await store.FindRootGrantsByUserAsync(user, context.RequestAborted);
        var views = new List<GrantView>();
        foreach (var locator in locators.Reverse().Take(Max))
        {
            views.Add(await grains.GetGrant(locator.GrantId).GetAsync());
        }

        return TypedResults.Json<IReadOnlyList<GrantView>>(views, DelegationJsonContext.Default.IReadOnlyListGrantView);
    }

    private static async Task<IResult> DelegateAsync(string id, [FromBody] DelegateRequest request, IGrainFactory grains)
    {
        var created = await grains.GetGrant(id).DelegateAsync(request);
        return Created(created);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var grain = grains.GetGrant(id);
        var view = AuditApi.Time(context.Request.Query, "at") is { } at
            ? await grain.GetAsOfAsync(at)
            : await grain.GetAsync();
        return TypedResults.Json(view, DelegationJsonContext.Default.GrantView);
    }

    private static async Task<IResult> GetTreeAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var grain = grains.GetGrant(id);
        var tree = AuditApi.Time(context.Request.Query, "at") is { } at
            ? await grain.GetTreeAsOfAsync(at)
            : await grain.GetTreeAsync();
        return TypedResults.Json(tree, DelegationJsonContext.Default.TreeResponse);
    }

    private static async Task<IResult> GetChainAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var chain = await grains.GetGrant(id).GetChainAsync();
        return TypedResults.Json(chain, DelegationJsonContext.Default.ChainResponse);
    }

    private static async Task<IResult> ExplainAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var action = context.Request.Query["action"].ToString();
        var resource = context.Request.Query["resource"].ToString();
        var result = await grains.GetGrant(id).ExplainAsync(
            action, resource.Length > 0 ? resource : null, AuditApi.Time(context.Request.Query, "at"));
        return TypedResults.Json(
            new CheckResponse(result.Decision, result.IsAllowed ? null : result.Reason, result.GrantId, result.Remaining, result.DecidedBy),
            DelegationJsonContext.Default.CheckResponse);
    }

    private static async Task<IResult> RevokeAsync(string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains)
    {
        var caller = Caller.Of(context);
        var wait = Propagation.ReadWait(context);
        var result = await grains.GetGrant(id).RevokeAsync(body?.Reason, caller.Actor);
        return await Propagation.RespondAsync(context, result, wait);
    }

    private static async Task<IResult> SuspendAsync(string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains)
    {
        var caller = Caller.Of(context);
        var wait = Propagation.ReadWait(context);
        var result = await grains.GetGrant(id).SuspendAsync(body?.Reason, caller.Actor);
        return await Propagation.RespondAsync(context, result, wait);
    }

    private static async Task<IResult> ResumeAsync(string id, [FromBody] StatusChangeRequest? body, HttpContext context, IGrainFactory grains)
    {
        var caller = Caller.Of(context);
        var wait = Propagation.ReadWait(context);
        var result = await grains.GetGrant(id).ResumeAsync(body?.Reason, caller.Actor);
        return await Propagation.RespondAsync(context, result, wait);
    }

    private static IResult Created(GrantCreatedResponse created) =>
        TypedResults.Json(created, DelegationJsonContext.Default.GrantCreatedResponse, statusCode: StatusCodes.Status201Created);
}
