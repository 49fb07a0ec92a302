using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Delegation.Api;
using Delegation.Grains.Errors;
using Microsoft.Extensions.Options;

namespace Delegation.Silo.Feed;

/// <summary>
/// The named feed streams open on this silo, by connection id, and how many each key holds: an acknowledgement must
/// name a stream open here, and one key may hold at most <see cref="EnforcerRegistryOptions.MaxStreamsPerKey"/>.
/// </summary>
public sealed class FeedConnections(IOptions<EnforcerRegistryOptions> options)
{
    private readonly ConcurrentDictionary<string, FeedConnection> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _perKey = new(StringComparer.Ordinal);

    /// <summary>Open streams on this silo.</summary>
    public int Count => _open.Count;

    /// <summary>The fingerprint of a credential: SHA-256, hex. Identifies a key without keeping it.</summary>
    public static string Fingerprint(string credential) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    /// <summary>Opens a stream of <paramref name="enforcer"/> for the key with <paramref name="keyFingerprint"/>, starting after <paramref name="after"/>.</summary>
    /// <exception cref="ConflictException">The key holds as many open streams as it may (<c>too_many_feed_streams</c>).</exception>
    public FeedConnection Open(string enforcer, string keyFingerprint, long after)
    {
        var limit = options.Value.MaxStreamsPerKey;
        var held = _perKey.AddOrUpdate(keyFingerprint, 1, static (_, n) => n + 1);
        if (held > limit)
        {
            Release(keyFingerprint);
            throw new ConflictException(
                $"This key holds {limit} open enforcer feed streams, the most one key may (Delegation:Enforcers:MaxStreamsPerKey); close one first.",
                ErrorCodes.TooManyFeedStreams);
        }

        var connection = new FeedConnection(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_'), enforcer, keyFingerprint);
        connection.MarkSent(after);
        _open[connection.Id] = connection;
        return connection;
    }

    /// <summary>Closes a stream.</summary>
    public void Close(FeedConnection connection)
    {
        if (_open.TryRemove(new KeyValuePair<string, FeedConnection>(connection.Id, connection)))
        {
            Release(connection.KeyFingerprint);
        }
    }

    /// <summary>The open stream with id <paramref name="id"/>, or null.</summary>
    public FeedConnection? Find(string id) => _open.GetValueOrDefault(id);

    private void Release(string keyFingerprint)
    {
        while (true)
        {
            var held = _perKey.GetValueOrDefault(keyFingerprint);
            if (held <= 1)
            {
                if (_perKey.TryRemove(new KeyValuePair<string, int>(keyFingerprint, held)))
                {
                    return;
                }
            }
            else if (_perKey.TryUpdate(keyFingerprint, held - 1, held))
            {
                return;
            }
        }
    }
}
