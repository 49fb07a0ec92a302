using StackExchange.Redis;

namespace Delegation.Tests.Cluster;

/// <summary>
/// A key prefix of one test's own on the throwaway Redis (<see cref="RedisTestServer"/>), and one connection that the
/// tests share, as silos share one per process. Disposing deletes every key under the prefix.
/// </summary>
internal sealed class RedisTestPrefix : IAsyncDisposable
{
    private static readonly Lazy<Task<ConnectionMultiplexer>> Shared = new(() => ConnectionMultiplexer.ConnectAsync(RedisTestServer.Endpoint));

    /// <summary>The prefix, unique to this instance.</summary>
    public string Prefix { get; } = $"dlg-test:{Guid.NewGuid():N}:";

    /// <summary>The connection the tests share.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync() => Shared.Value;

    /// <summary>Every key under the prefix.</summary>
    public async Task<List<string>> KeysAsync()
    {
        var redis = await ConnectAsync();
        var keys = new List<string>();
        foreach (var endpoint in redis.GetEndPoints())
        {
            await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: Prefix + "*", pageSize: 1000))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var keys = await KeysAsync();
        if (keys.Count > 0)
        {
            await (await ConnectAsync()).GetDatabase().KeyDeleteAsync([.. keys.Select(k => (RedisKey)k)]);
        }
    }
}
