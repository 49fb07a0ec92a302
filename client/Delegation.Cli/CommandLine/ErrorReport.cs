using System.Text.Json;
using Delegation.Api;
using Delegation.Client;
using Spectre.Console;

namespace Delegation.Cli.CommandLine;

/// <summary>The one place where a failure becomes an exit code and a message on standard error.</summary>
internal static class ErrorReport
{
    /// <summary>The code <c>--json</c> reports for a command line that cannot be carried out.</summary>
    public const string UsageCode = "usage";

    /// <summary>The exit code of a failure's class.</summary>
    public static int ExitCodeOf(Exception exception) => exception switch
    {
        UsageException => ExitCodes.Usage,
        DelegationUnavailableException => ExitCodes.Unavailable,
        DelegationApiException { Status: 401 or 403 } => ExitCodes.Auth,
        DelegationApiException { Status: 404 } => ExitCodes.NotFound,
        DelegationApiException { Status: 400 or 409 or 413 or 422 } => ExitCodes.Refused,
        DelegationApiException { Status: 502 or 503 or 504 } => ExitCodes.Unavailable,
        _ => ExitCodes.Failed,
    };

    /// <summary>Prints the failure (its code and detail, in red; or problem+json with <c>--json</c>) and returns its exit code.</summary>
    public static int Write(CliSession session, Exception exception)
    {
        var problem = ProblemOf(exception);
        if (session.Json)
        {
            Console.Error.WriteLine(JsonSerializer.Serialize(problem, DelegationJsonContext.Default.ProblemResponse));
        }
        else
        {
            var status = problem.Status is { } s ? $" ({s})" : string.Empty;
            session.Error.MarkupLine($"[red]error [bold]{Shown.Escape(problem.Code ?? UsageCode)}[/]{status}: {Shown.Escape(problem.Detail ?? string.Empty)}[/]");
            foreach (var (field, messages) in problem.Errors ?? new Dictionary<string, string[]>())
            {
                session.Error.MarkupLine($"[red]  {Shown.Escape(field)}: {Shown.Escape(string.Join(" ", messages))}[/]");
            }
        }

        return ExitCodeOf(exception);
    }

    private static ProblemResponse ProblemOf(Exception exception) => exception switch
    {
        DelegationApiException api => new ProblemResponse(
            api.Problem?.Type, api.Problem?.Title, api.Status, api.Detail ?? api.Message, api.Code, api.Problem?.Errors),
        UsageException usage => new ProblemResponse(null, "The command line cannot be carried out.", null, usage.Message, UsageCode),
        JsonException json => new ProblemResponse(null, "The silo's answer could not be read.", null, json.Message, "unreadable_answer"),
        _ => new ProblemResponse(null, "Unexpected failure.", null, exception.Message, ErrorCodes.Internal),
    };
}
