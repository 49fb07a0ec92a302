using Delegation.SampleMcpServer.Configuration;

namespace Delegation.SampleMcpServer;

/// <summary>The sample MCP server's entry point (a named class: a top-level one would be a second global <c>Program</c> in the tests).</summary>
internal static class Program
{
    /// <summary>Runs the server; exits 2 with every problem listed when its configuration cannot work.</summary>
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5086");
        }

        try
        {
            await using var server = McpServerHost.Create(builder);
            await server.RunAsync();
            return 0;
        }
        catch (McpServerConfigurationException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
