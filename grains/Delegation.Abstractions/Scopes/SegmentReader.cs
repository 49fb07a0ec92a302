namespace Delegation.Scopes;

/// <summary>
/// Walks the segments of a request without allocating. An empty input has no segments (the empty
/// resource path); otherwise every separator starts a new segment.
/// </summary>
internal ref struct SegmentReader
{
    private readonly char separator;
    private ReadOnlySpan<char> rest;
    private bool done;

    public SegmentReader(ReadOnlySpan<char> text, char separator)
    {
        this.separator = separator;
        rest = text;
        done = text.IsEmpty;
    }

    /// <summary>Whether the last segment has been read.</summary>
    public readonly bool IsDone => done;

    public bool TryNext(out ReadOnlySpan<char> segment)
    {
        if (done)
        {
            segment = default;
            return false;
        }

        var end = rest.IndexOf(separator);
        if (end < 0)
        {
            segment = rest;
            done = true;
        }
        else
        {
            segment = rest[..end];
            rest = rest[(end + 1)..];
        }

        return true;
    }
}
