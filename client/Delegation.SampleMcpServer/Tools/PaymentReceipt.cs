namespace Delegation.SampleMcpServer.Tools;

/// <summary>The payments API's answer.</summary>
/// <param name="Id">The payment's id.</param>
/// <param name="Status">Its status, e.g. <c>sent</c>.</param>
public sealed record PaymentReceipt(string Id, string Status);
