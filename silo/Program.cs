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

// Before anything is generated or written (an admin key, a database): a taken port is one line, not a stack trace.
// After Build, so the configuration is final (a test host never gets here: it takes the built app instead).
if (PortPreflight.FindTaken(app.Configuration) is { } taken)
{
    Console.Error.WriteLine(taken);
    return 1;
}

app.MapDelegationApi();
app.Run();
return 0;

/// <summary>The silo's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
