using Delegation.SampleGateway.Configuration;

namespace Delegation.SampleGateway;

/// <summary>The sample gateway's entry point (a named class: a top-level one would be a second global <c>Program</c> beside the silo's in the tests).</summary>
internal static class Program
{
    /// <summary>Runs the gateway; exits 2 with every problem listed when its configuration cannot work.</summary>
    public static async Task<int> Main(string[] args)
    {
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
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
