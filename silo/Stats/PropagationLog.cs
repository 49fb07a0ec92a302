using Delegation.Api;

namespace Delegation.Silo.Stats;

/// <summary>The most recent waits for enforcers to acknowledge a change, for the dashboard.</summary>
public sealed class PropagationLog
{
    private const int Capacity = 200;
    private readonly Lock _gate = new();
    private readonly Queue<PropagationSample> _samples = new();

    /// <summary>Adds a sample, dropping the oldest beyond the capacity.</summary>
    public void Add(PropagationSample sample)
    {
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Capacity)
            {
                _samples.Dequeue();
            }
        }
    }

    /// <summary>The samples, oldest first.</summary>
    public IReadOnlyList<PropagationSample> Read()
    {
        lock (_gate)
        {
            return _samples.ToArray();
        }
    }
}
