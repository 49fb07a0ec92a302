namespace Delegation.Client;

/// <summary>
/// A bounded lock-free queue of <see cref="ReportedDecision"/>s: many checking threads add, the reporting loop takes
/// (Dmitry Vyukov's bounded queue: each slot carries a sequence number saying whose turn it is). Adding allocates
/// nothing and never waits: when the queue is full the decision is dropped and counted.
/// </summary>
internal sealed class DecisionReportQueue
{
    private readonly Slot[] _slots;
    private readonly long _mask;
    private long _tail;
    private long _head;
    private long _dropped;

    public DecisionReportQueue(int capacity)
    {
        var size = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity));
        _slots = new Slot[size];
        _mask = size - 1;
        for (var i = 0; i < size; i++)
        {
            _slots[i].Sequence = i;
        }
    }

    /// <summary>Decisions dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Adds a decision, or drops it when the queue is full.</summary>
    public void Add(in ReportedDecision decision)
    {
        var position = Volatile.Read(ref _tail);
        while (true)
        {
            ref var slot = ref _slots[position & _mask];
            var turn = Volatile.Read(ref slot.Sequence) - position;
            if (turn == 0)
            {
                if (Interlocked.CompareExchange(ref _tail, position + 1, position) == position)
                {
                    slot.Item = decision;
                    Volatile.Write(ref slot.Sequence, position + 1);
                    return;
                }

                position = Volatile.Read(ref _tail);
            }
            else if (turn < 0)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            else
            {
                position = Volatile.Read(ref _tail);
            }
        }
    }

    /// <summary>Takes the oldest decision; one taker at a time.</summary>
    public bool TryTake(out ReportedDecision decision)
    {
        var position = _head;
        ref var slot = ref _slots[position & _mask];
        if (Volatile.Read(ref slot.Sequence) - (position + 1) < 0)
        {
            decision = default;
            return false;
        }

        decision = slot.Item;
        slot.Item = default;
        Volatile.Write(ref slot.Sequence, position + _slots.Length);
        _head = position + 1;
        return true;
    }

    private struct Slot
    {
        public long Sequence;
        public ReportedDecision Item;
    }
}
