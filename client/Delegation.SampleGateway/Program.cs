using Delegation.SampleGateway;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
if (string.IsNullOrEmpty(options.EnforcerKey))
{
    Console.Error.WriteLine("Set Gateway:EnforcerKey (an enforcer or admin key of the silo), e.g. --Gateway:EnforcerKey \"$KEY\".");
    return 2;
}

if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://localhost:5085");
}

await using var builtIn = string.IsNullOrEmpty(options.UpstreamUrl) ? TicketsUpstream.Build(options.BuiltInUpstreamUrl) : null;
var upstreamUrl = builtIn is null ? options.UpstreamUrl : options.BuiltInUpstreamUrl;

builder.Services.AddAgentDelegation(
    enforcer =>
    {
        foreach (var url in options.SiloUrl.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            enforcer.SiloUrls.Add(new Uri(url));
        }

        enforcer.Credential = options.EnforcerKey;
        enforcer.Name = "sample-gateway:" + Environment.ProcessId;
    },
    rules =>
    {
        foreach (var rule in options.Rules)
        {
            rules.Rules.Add(rule);
        }
    });
builder.Services.AddHttpClient<Forwarder>(http => http.BaseAddress = new Uri(upstreamUrl));

var app = builder.Build();
app.MapGet("/healthz", () => "ok");
app.UseWhen(context => context.Request.Path != "/healthz", branch => branch.UseAgentDelegation());
app.MapFallback(context => context.RequestServices.GetRequiredService<Forwarder>().ForwardAsync(context));

if (builtIn is not null)
{
    await builtIn.StartAsync();
}

await app.RunAsync();
return 0;
