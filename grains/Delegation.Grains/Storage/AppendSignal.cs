namespace Delegation.Grains.Storage;

/// <summary>Wakes in-process waiters when a store of this process appends. A wake-up only: waiters re-read the store.</summary>
public sealed class AppendSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>
    /// Completes at the next <see cref="Pulse"/>. Take it before looking at the state you wait on, so that a pulse
    /// between the look and the wait is not missed.
    /// </summary>
    public Task NextPulse => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every current waiter.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    /// <summary>Completes at the next <see cref="Pulse"/>, after <paramref name="timeout"/>, or on cancellation.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next).Task;
        try
        {
            await next.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A timeout is an ordinary wake-up: the caller re-reads.
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
