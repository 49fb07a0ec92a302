using Delegation.Silo.Api;
using Delegation.Silo.Hosting;

if (HealthProbe.TryRun(args, out var probeExit))
{
    return probeExit;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDelegationSilo();

var app = builder.Build();
app.MapDelegationApi();
app.Run();
return 0;

/// <summary>The silo's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
