namespace Delegation.SampleMcpServer.Tools;

/// <summary>What the MCP server sends the payments API: the payment, and the grant that allowed it (for its audit), no token.</summary>
/// <param name="From">The account paid from.</param>
/// <param name="To">The account paid to.</param>
/// <param name="AmountCents">The amount in cents.</param>
/// <param name="Memo">What it is for.</param>
/// <param name="GrantId">The grant whose check allowed it.</param>
public sealed record PaymentRequest(string From, string To, long AmountCents, string? Memo, string? GrantId);
