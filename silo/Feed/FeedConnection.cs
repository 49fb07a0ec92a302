namespace Delegation.Silo.Feed;

/// <summary>
/// One open, named feed stream on this silo: who reads it (the enforcer's name, the fingerprint of the key that
/// opened it) and the last sequence it was sent. Acknowledgements are taken only on it, only from that key, under
/// that name, and only up to what it was sent.
/// </summary>
public sealed class FeedConnection(string id, string enforcer, string keyFingerprint)
{
    private long _sent;

    /// <summary>The connection id, sent to the reader in the stream's first heartbeat; unguessable.</summary>
    public string Id { get; } = id;

    /// <summary>The enforcer's name.</summary>
    public string Enforcer { get; } = enforcer;

    /// <summary>SHA-256 of the credential that opened the stream, hex (never the credential itself).</summary>
    public string KeyFingerprint { get; } = keyFingerprint;

    /// <summary>The last feed sequence this stream delivered (its starting position before any event).</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Records that the stream delivered up to <paramref name="seq"/> (or that its feed was replaced and starts lower).</summary>
    public void MarkSent(long seq) => Volatile.Write(ref _sent, seq);
}
