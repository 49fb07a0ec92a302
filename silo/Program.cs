using Delegation.Silo.Api;
using Delegation.Silo.Hosting;

if (HealthProbe.TryRun(args, out var probeExit))
{
    return probeExit;
}

// appsettings.json beside the binary, wherever the silo is started from (relative settings such as DataDir still
// resolve against the working directory).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddDelegationSilo();

var app = builder.Build();
app.MapDelegationApi();
app.Run();
return 0;

/// <summary>The silo's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
