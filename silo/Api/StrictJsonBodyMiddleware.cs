using System.Buffers;
using System.IO.Pipelines;
using Delegation.Silo.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Api;

/// <summary>
/// Before the framework binds a JSON body (<c>[FromBody]</c>, with the API's strict serializer options), reads it within
/// <see cref="DelegationOptions.MaxRequestBodyBytes"/> (413 otherwise, whatever the server underneath: the in-process
/// test host enforces no limit of its own) and refuses what the serializer would let through in fields it skips
/// (<see cref="StrictJson"/>: bytes that are not UTF-8, a key twice, an escaped lone surrogate), then hands the same
/// bytes to the binder. It runs after authorization, so a refused caller's body is never read.
/// </summary>
public sealed class StrictJsonBodyMiddleware(RequestDelegate next, IOptions<DelegationOptions> options)
{
    private const int Chunk = 8192;

    /// <summary>Buffers and checks the body of an endpoint that binds one, then runs the endpoint.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>() is not { RequestType: not null })
        {
            return next(context);
        }

        // A body that has already arrived (the usual case) is read without suspending; then no async frame is
        // allocated here for the rest of the request.
        var reading = ReadAsync(context, options.Value.MaxRequestBodyBytes);
        return reading.IsCompletedSuccessfully ? CheckedNext(context, reading.Result) : ReadThenNextAsync(context, reading);
    }

    private async Task ReadThenNextAsync(HttpContext context, ValueTask<MemoryStream> reading) =>
        await CheckedNext(context, await reading.ConfigureAwait(false)).ConfigureAwait(false);

    private Task CheckedNext(HttpContext context, MemoryStream body)
    {
        if (body.Length > 0)
        {
            StrictJson.Validate(body.GetBuffer().AsSpan(0, (int)body.Length));
        }

        context.Request.Body = body;
        context.Request.ContentLength = body.Length;

        // The binder reads the body as a pipe: give it one over the same bytes (the framework's would wrap the stream
        // in a pipe reader with buffers of its own, per request).
        context.Features.Set<IRequestBodyPipeFeature>(new BufferedBody(body.GetBuffer(), (int)body.Length));
        return next(context);
    }

    private sealed class BufferedBody(byte[] buffer, int length) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = PipeReader.Create(new ReadOnlySequence<byte>(buffer, 0, length));
    }

    private static async ValueTask<MemoryStream> ReadAsync(HttpContext context, int limit)
    {
        var declared = context.Request.ContentLength;
        if (declared > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        // Sized to the declared length, so a body that says how long it is lands in one exact array; the read buffer
        // is rented (it was a fresh 8 KB array per request, most of what a check allocated).
        var buffer = new MemoryStream((int)(declared ?? 0));
        var chunk = ArrayPool<byte>.Shared.Rent(Chunk);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new PayloadTooLargeException(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        buffer.Position = 0;
        return buffer;
    }
}
