namespace Delegation.SampleMcpServer.Grants;

/// <summary>
/// What a call of this tool asks of the agent's grant, beside the tool's <c>[McpServerTool]</c>: the action is always
/// <c>tools:&lt;tool name&gt;</c>; <see cref="Resource"/> and the cost come from the call's arguments.
/// <code>
/// [McpServerTool(Name = "send_payment"), ToolGrant(Resource = "accounts/{fromAccount}", CostArgument = "amountCents")]
/// </code>
/// Every tool of the server must carry one: the server refuses to start otherwise, so a tool added without saying what
/// it asks is never callable by accident.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ToolGrantAttribute : Attribute
{
    /// <summary>
    /// The resource checked, a template over the tool's arguments (<c>documents/{documentId}</c>); each argument fills
    /// exactly one path segment. Null (default) checks no resource.
    /// </summary>
    public string? Resource { get; set; }

    /// <summary>A fixed number of budget units a call costs (default 0).</summary>
    public long Cost { get; set; }

    /// <summary>
    /// The integer argument whose value is the call's cost in budget units (an amount in cents, say), added to
    /// <see cref="Cost"/>; null (default) for none.
    /// </summary>
    public string? CostArgument { get; set; }
}
