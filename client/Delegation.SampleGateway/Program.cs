using Delegation.SampleGateway;
using Delegation.SampleGateway.Configuration;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://localhost:5085");
}

try
{
    await using var gateway = GatewayHost.Create(builder);
    await gateway.RunAsync();
    return 0;
}
catch (GatewayConfigurationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
