using System.ComponentModel;
using Delegation.Client.AspNetCore;
using Delegation.SampleMcpServer.Grants;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Delegation.SampleMcpServer.Tools;

/// <summary>Payments, through the payments API upstream.</summary>
[McpServerToolType]
public sealed class PaymentTools(IHttpClientFactory http, IHttpContextAccessor request)
{
    /// <summary>The named client of the payments API.</summary>
    public const string PaymentsClient = "payments";

    /// <summary>
    /// Sends a payment: needs <c>tools:send_payment@accounts/{fromAccount}</c> and costs the amount in cents, so a
    /// grant's budget is a spending limit. The payments API gets the payment and the grant's id, never the agent's token.
    /// </summary>
    [McpServerTool(Name = "send_payment", Destructive = true), Description("Sends a payment from one of the person's accounts; the amount is debited from the agent's budget.")]
    [ToolGrant(Resource = "accounts/{fromAccount}", CostArgument = "amountCents")]
    public async Task<string> SendPaymentAsync(
        [Description("The account paid from, e.g. acme-operating.")] string fromAccount,
        [Description("The account paid to.")] string toAccount,
        [Description("The amount in cents, more than 0.")] long amountCents,
        [Description("What the payment is for.")] string? memo = null,
        CancellationToken cancellationToken = default)
    {
        if (amountCents <= 0)
        {
            throw new McpException("amountCents must be more than 0.");
        }

        var grantId = request.HttpContext?.Features.Get<AgentDecisionFeature>()?.Decision.GrantId;
        using var message = new HttpRequestMessage(HttpMethod.Post, "payments")
        {
            Content = JsonContent.Create(new PaymentRequest(fromAccount, toAccount, amountCents, memo, grantId), PaymentsJsonContext.Default.PaymentRequest),
        };
        using var response = await http.CreateClient(PaymentsClient).SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new McpException($"The payments API refused the payment ({(int)response.StatusCode}).");
        }

        var sent = await response.Content.ReadFromJsonAsync(PaymentsJsonContext.Default.PaymentReceipt, cancellationToken).ConfigureAwait(false);
        return $"Payment {sent?.Id} of {amountCents} cents from {fromAccount} to {toAccount}: {sent?.Status}.";
    }
}
