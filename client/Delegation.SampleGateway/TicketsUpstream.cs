namespace Delegation.SampleGateway;

/// <summary>A small upstream for the demo: a tickets service that knows nothing about agents or grants.</summary>
public static class TicketsUpstream
{
    /// <summary>Builds the upstream on <paramref name="url"/>.</summary>
    public static WebApplication Build(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/projects/{project}/tickets/{id}", (string project, string id) =>
            Results.Text($"{{\"project\":\"{Clean(project)}\",\"id\":\"{Clean(id)}\",\"title\":\"Printer on fire\",\"status\":\"open\"}}", "application/json"));
        app.MapPost("/projects/{project}/tickets", (string project) =>
            Results.Text($"{{\"project\":\"{Clean(project)}\",\"id\":\"{Guid.NewGuid():N}\",\"status\":\"created\"}}", "application/json", statusCode: 201));
        app.MapPost("/projects/{project}/tickets/{id}/summarize", (string project, string id) =>
            Results.Text($"{{\"id\":\"{Clean(id)}\",\"summary\":\"A printer is on fire; facilities has been called.\"}}", "application/json"));
        return app;
    }

    private static string Clean(string value) => new(value.Where(char.IsLetterOrDigit).Take(64).ToArray());
}
