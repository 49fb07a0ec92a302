using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Delegation.Silo.Security;

/// <summary>
/// The authorization middleware's policy evaluator. A key whose role the policy's one <see cref="CallerRequirement"/>
/// names is allowed here without the framework's per-request objects (authorization service, handler context, its
/// set of pending requirements, tasks): the answer <see cref="CallerRequirementHandler"/> would give, as a pure
/// function of the role. Everything else (holders, other requirements, policies with schemes of their own, any other
/// authorization handler registered) goes to the framework's <see cref="PolicyEvaluator"/> and the handlers.
/// </summary>
internal sealed class CallerPolicyEvaluator(IEnumerable<IAuthorizationHandler> handlers) : IPolicyEvaluator
{
    private static readonly Task<PolicyAuthorizationResult> Allowed = Task.FromResult(PolicyAuthorizationResult.Success());

    // The shortcut stands for CallerRequirementHandler only (the framework's pass-through handler serves requirements
    // that are their own handlers, which CallerRequirement is not): with any other handler, every request asks them all.
    private readonly bool _callerHandlerOnly = handlers.All(handler => handler is CallerRequirementHandler or PassThroughAuthorizationHandler);

    /// <inheritdoc />
    public Task<AuthenticateResult> AuthenticateAsync(AuthorizationPolicy policy, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(context);
        if (policy.AuthenticationSchemes.Count > 0)
        {
            return Framework(context).AuthenticateAsync(policy, context);
        }

        // What the framework's evaluator answers for a policy without schemes of its own (the request's user, as the
        // default scheme authenticated it), reusing that scheme's result when it holds this very user.
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var authenticated = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult;
        return Task.FromResult(authenticated is { Succeeded: true } && ReferenceEquals(authenticated.Principal, user)
            ? authenticated
            : AuthenticateResult.Success(new AuthenticationTicket(user, "context.User")));
    }

    /// <inheritdoc />
    public Task<PolicyAuthorizationResult> AuthorizeAsync(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context, object? resource)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(authenticationResult);
        ArgumentNullException.ThrowIfNull(context);
        return IsKeyOfNamedRole(policy, authenticationResult, context)
            ? Allowed
            : Framework(context).AuthorizeAsync(policy, authenticationResult, context, resource);
    }

    private bool IsKeyOfNamedRole(AuthorizationPolicy policy, AuthenticateResult authenticationResult, HttpContext context) =>
        _callerHandlerOnly
        && authenticationResult.Succeeded
        && policy.AuthenticationSchemes.Count == 0
        && policy.Requirements is [CallerRequirement requirement]
        && Caller.From(context.User) is { Role: not CallerRole.Holder } caller
        && requirement.Roles.Contains(caller.Role);

    private static PolicyEvaluator Framework(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<IAuthorizationService>());
}
