namespace Delegation.Grains.Anomaly;

/// <summary>
/// A count over a sliding window, approximated by two fixed windows (the current one and the one before, weighted by
/// how much of it still overlaps the sliding window): two numbers, no allocation, exact enough to compare with a
/// threshold.
/// </summary>
internal struct SlidingCount
{
    private long _index;
    private double _current;
    private double _previous;

    /// <summary>Starts counting at <paramref name="now"/>.</summary>
    public void Start(long now, long window)
    {
        _index = now / window;
        _current = 0;
        _previous = 0;
    }

    /// <summary>
    /// Moves to the fixed window holding <paramref name="now"/>. When that is a later one, <paramref name="completed"/>
    /// is the count of the window just closed and <paramref name="emptyAfter"/> how many empty windows followed it.
    /// A clock that went back keeps counting in the current window.
    /// </summary>
    public bool Advance(long now, long window, out double completed, out long emptyAfter)
    {
        var index = now / window;
        completed = 0;
        emptyAfter = 0;
        if (index <= _index)
        {
            return false;
        }

        completed = _current;
        emptyAfter = index - _index - 1;
        _previous = emptyAfter == 0 ? _current : 0;
        _current = 0;
        _index = index;
        return true;
    }

    /// <summary>Counts <paramref name="amount"/> in the current window.</summary>
    public void Add(double amount) => _current += amount;

    /// <summary>The count over the sliding window ending at <paramref name="now"/>.</summary>
    public readonly double Estimate(long now, long window)
    {
        var elapsed = (double)(now % window) / window;
        return _current + (_previous * (1 - elapsed));
    }
}
