using System.Data.Common;
using Delegation.Api;
using Delegation.Grains.Errors;
using StackExchange.Redis;

namespace Delegation.Silo.Api;

/// <summary>Turns every failure into problem+json with its stable code; an unexpected one is logged, never leaked.</summary>
public sealed partial class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    /// <summary>Runs the rest of the pipeline and maps what it throws.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (DelegationException ex) when (!context.Response.HasStarted)
        {
            if (ex is AuthorityUnavailableException unavailable)
            {
                LogUnavailable(logger, unavailable.Cause);
            }

            await Problems.WriteAsync(context, Problems.From(ex)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or RedisException && !context.Response.HasStarted)
        {
            // The store failed under a read the grains do not wrap (the registry, the decision log, the feed): fail closed.
            LogUnavailable(logger, ex);
            await Problems.WriteAsync(context, Problems.From(new AuthorityUnavailableException("The store is unavailable; try again shortly.", ex))).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException && !context.Response.HasStarted)
        {
            // The grain's silo died or did not answer in time (its trees are moving to the other silos): fail closed,
            // and tell the caller to try again. A write that timed out may or may not have been applied.
            LogUnavailable(logger, ex);
            await Problems.WriteAsync(context, Problems.From(new AuthorityUnavailableException("The cluster did not answer; try again shortly.", ex))).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var problem = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new ProblemResponse(null, "The request body is too large.", 413, ex.Message, ErrorCodes.PayloadTooLarge)
                : new ProblemResponse(null, "The request is not valid.", 400, Detail(ex), ErrorCodes.ValidationFailed);
            await Problems.WriteAsync(context, problem).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnexpected(logger, ex, context.Request.Method, context.Request.Path);
            await Problems.WriteAsync(context, new ProblemResponse(
                null, "An unexpected error occurred.", 500, "The silo failed to process the request.", ErrorCodes.Internal)).ConfigureAwait(false);
        }
    }

    // The binder's own sentence names the parameter; the serializer's says where in the body it went wrong.
    private static string Detail(BadHttpRequestException ex) =>
        ex.InnerException is System.Text.Json.JsonException json ? $"{ex.Message} {json.Message}" : ex.Message;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "The store is unavailable; the request failed closed.")]
    private static partial void LogUnavailable(ILogger logger, Exception? exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Unexpected failure in {Method} {Path}.")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
