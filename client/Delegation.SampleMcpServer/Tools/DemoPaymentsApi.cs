namespace Delegation.SampleMcpServer.Tools;

/// <summary>A small payments API for the demo: it records nothing and knows nothing about agents, grants or tokens.</summary>
public static class DemoPaymentsApi
{
    /// <summary>Builds the API on <paramref name="url"/>.</summary>
    public static WebApplication Build(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PaymentsJsonContext.Default));
        var app = builder.Build();
        app.MapPost("/payments", (PaymentRequest payment) => payment.AmountCents > 0
            ? Results.Json(new PaymentReceipt("pay_" + Guid.NewGuid().ToString("N")[..12], "sent"), PaymentsJsonContext.Default.PaymentReceipt, statusCode: 201)
            : Results.BadRequest());
        return app;
    }
}
