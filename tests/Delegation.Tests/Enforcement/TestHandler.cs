using System.Net;
using System.Net.Http.Headers;

namespace Delegation.Tests.Enforcement;

/// <summary>
/// The enforcer's HTTP handler in tests: real sockets, plus switches to break, pause or refuse feed streams and to
/// hold chain responses, so that races can be staged exactly.
/// </summary>
public sealed class TestHandler() : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
{
    private readonly List<BreakableStream> _feeds = [];
    private TaskCompletionSource _resume = Completed();
    private volatile bool _refuseFeeds;
    private TaskCompletionSource? _chainGate;

    /// <summary>New feed connections are answered 503 while set.</summary>
    public bool RefuseFeeds
    {
        get => _refuseFeeds;
        set => _refuseFeeds = value;
    }

    /// <summary>Completes when a held chain response has arrived from the silo (see <see cref="HoldChains"/>).</summary>
    public TaskCompletionSource ChainArrived { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Chain responses are read from the silo, then held until <see cref="ReleaseChains"/>.</summary>
    public void HoldChains()
    {
        ChainArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _chainGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseChains() => _chainGate?.TrySetResult();

    /// <summary>Every open feed stream fails its next (or current) read.</summary>
    public void BreakFeeds()
    {
        lock (_feeds)
        {
            _feeds.ForEach(f => f.Break());
            _feeds.Clear();
        }
    }

    /// <summary>Open feed streams deliver nothing until <see cref="ResumeFeeds"/>.</summary>
    public void PauseFeeds() => Interlocked.Exchange(ref _resume, new(TaskCreationOptions.RunContinuationsAsynchronously));

    public void ResumeFeeds() => _resume.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (path.EndsWith("/v1/feed", StringComparison.Ordinal))
        {
            return _refuseFeeds ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : await OpenFeedAsync(request, cancellationToken);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (path.EndsWith("/chain", StringComparison.Ordinal) && _chainGate is { } gate)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            ChainArrived.TrySetResult();
            await gate.Task.WaitAsync(cancellationToken);
        }

        return response;
    }

    private static TaskCompletionSource Completed()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }

    private async Task<HttpResponseMessage> OpenFeedAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        var stream = new BreakableStream(await response.Content.ReadAsStreamAsync(cancellationToken), this);
        lock (_feeds)
        {
            _feeds.Add(stream);
        }

        var content = new StreamContent(stream);
        content.Headers.ContentType = response.Content.Headers.ContentType ?? new MediaTypeHeaderValue("text/event-stream");
        response.Content = content;
        return response;
    }

    private sealed class BreakableStream(Stream inner, TestHandler owner) : Stream
    {
        private readonly CancellationTokenSource _broken = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public void Break() => _broken.Cancel();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _broken.Token);
            try
            {
                await Volatile.Read(ref owner._resume).Task.WaitAsync(linked.Token);
                return await inner.ReadAsync(buffer, linked.Token);
            }
            catch (OperationCanceledException) when (_broken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new IOException("The test broke this feed stream.");
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                _broken.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
