using System.Buffers;
using System.IO.Pipelines;

namespace Delegation.Silo.Api;

/// <summary>
/// The socket side of <see cref="KestrelRejections"/>: holds what Kestrel writes until it flushes, so that a flush that
/// is a bare rejection can be sent with a problem body; everything else passes through unchanged, in order.
/// </summary>
internal sealed class RejectionRewritingWriter(PipeWriter inner) : PipeWriter
{
    // A large response leaves a large buffer behind; beyond this it is dropped rather than kept per connection.
    private const int RetainedCapacity = 64 * 1024;
    private ArrayBufferWriter<byte> _pending = new(4096);

    // System.Text.Json asks how much is pending to decide when to flush a large answer.
    public override bool CanGetUnflushedBytes => true;

    public override long UnflushedBytes => _pending.WrittenCount + (inner.CanGetUnflushedBytes ? inner.UnflushedBytes : 0);

    public override void Advance(int bytes) => _pending.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Forward();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Forward();
        return inner.CompleteAsync(exception);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Forward();
        return inner.FlushAsync(cancellationToken);
    }

    private void Forward()
    {
        if (_pending.WrittenCount == 0)
        {
            return;
        }

        var written = _pending.WrittenSpan;
        inner.Write(KestrelRejections.TryRewrite(written, out var rewritten) ? rewritten : written);
        if (_pending.Capacity > RetainedCapacity)
        {
            _pending = new ArrayBufferWriter<byte>(4096);
        }
        else
        {
            _pending.ResetWrittenCount();
        }
    }
}
