using StackExchange.Redis;

namespace Delegation.Storage.Redis;

/// <summary>
/// What one Redis server says about keeping what it acknowledged: from <c>CONFIG GET</c>, or, where CONFIG is
/// renamed, disabled or not granted to the user (managed servers), from <c>INFO</c>, which tells whether the
/// append-only file is on but not how often it is fsynced.
/// </summary>
/// <param name="Server">The server, <c>host:port</c>.</param>
/// <param name="AppendOnly">The <c>appendonly</c> setting (<c>yes</c>/<c>no</c>), or null when it could not be read.</param>
/// <param name="AppendFsync">The <c>appendfsync</c> setting (<c>always</c>/<c>everysec</c>/<c>no</c>), or null when it could not be read.</param>
/// <param name="MaxMemoryPolicy">The <c>maxmemory-policy</c> setting, or null when it could not be read.</param>
/// <param name="ConfigRefusal">Why CONFIG GET could not be used (the server's first line), or null when it could.</param>
/// <param name="InfoRefusal">Why INFO could not be used, or null when it could or was not needed.</param>
internal sealed record RedisPersistence(
    string Server,
    string? AppendOnly,
    string? AppendFsync,
    string? MaxMemoryPolicy,
    string? ConfigRefusal,
    string? InfoRefusal)
{
    private const string Advice = "set appendonly yes and appendfsync always, or " + RedisDurability.AllowVolatileSetting + "=true for development";

    /// <summary>Reads the settings of <paramref name="server"/>. A server that cannot be reached throws as StackExchange.Redis does.</summary>
    public static async Task<RedisPersistence> ReadAsync(IServer server, string name, CancellationToken cancellationToken)
    {
        // IServer.ExecuteAsync, not IServer.ConfigGetAsync/InfoAsync: those are "admin" commands to
        // StackExchange.Redis and refused unless allowAdmin=true, which a silo has no reason to ask of its users.
        // ExecuteAsync honours a command renamed in the configuration string ($CONFIG=...).
        string configRefusal;
        try
        {
            // One pattern per CONFIG GET: Redis before 7 takes no more.
            var append = await ConfigGetAsync(server, "append*", cancellationToken).ConfigureAwait(false);
            var memory = await ConfigGetAsync(server, "maxmemory-policy", cancellationToken).ConfigureAwait(false);
            return new RedisPersistence(name, Setting(append, "appendonly"), Setting(append, "appendfsync"), Setting(memory, "maxmemory-policy"), null, null);
        }
        catch (Exception ex) when (ex is RedisServerException or RedisCommandException)
        {
            configRefusal = FirstLine(ex.Message);
        }

        try
        {
            var info = (string?)await server.ExecuteAsync("INFO").WaitAsync(cancellationToken).ConfigureAwait(false);
            var appendOnly = InfoField(info, "aof_enabled") switch
            {
                "1" => "yes",
                "0" => "no",
                _ => null,
            };
            return new RedisPersistence(
                name, appendOnly, null, InfoField(info, "maxmemory_policy"), configRefusal, appendOnly is null ? "it shows no aof_enabled" : null);
        }
        catch (Exception ex) when (ex is RedisServerException or RedisCommandException)
        {
            return new RedisPersistence(name, null, null, null, configRefusal, FirstLine(ex.Message));
        }
    }

    /// <summary>
    /// Null when an acknowledged write survives a crash of the server and is never evicted (<c>appendonly yes</c>,
    /// <c>appendfsync always</c>, and no <c>allkeys-*</c> eviction: the store's keys have no expiry, so a
    /// <c>volatile-*</c> policy never picks them); otherwise one line that names the setting and says what to do.
    /// </summary>
    public string? Problem()
    {
        if (AppendOnly is null)
        {
            return $"Redis at {Server} does not let its persistence settings be read (CONFIG GET: {ConfigRefusal}; INFO: {InfoRefusal}): " +
                   "an acknowledged write could be lost in a crash; allow CONFIG GET for this user and " + Advice;
        }

        if (!Is(AppendOnly, "yes"))
        {
            return $"Redis at {Server} has appendonly {AppendOnly}{Source()}: an acknowledged write could be lost in a crash; " + Advice;
        }

        if (AppendFsync is null)
        {
            return $"Redis at {Server} has appendonly yes but its appendfsync cannot be read (CONFIG GET: {ConfigRefusal}): " +
                   "an acknowledged write could be lost in a crash unless it is always; allow CONFIG GET for this user, or, if appendfsync is " +
                   "always, set " + RedisDurability.AllowVolatileSetting + "=true";
        }

        if (!Is(AppendFsync, "always"))
        {
            return $"Redis at {Server} has appendfsync {AppendFsync}: an acknowledged write could be lost in a crash; " + Advice;
        }

        return MaxMemoryPolicy is { } policy && policy.StartsWith("allkeys-", StringComparison.OrdinalIgnoreCase)
            ? $"Redis at {Server} has maxmemory-policy {policy}: it may evict the store's keys, losing acknowledged writes; set maxmemory-policy " +
              "noeviction, or " + RedisDurability.AllowVolatileSetting + "=true for development"
            : null;
    }

    /// <summary>Where the settings were read, for messages.</summary>
    public string Source() => ConfigRefusal is null ? string.Empty : " (read from INFO; CONFIG GET: " + ConfigRefusal + ")";

    private static async Task<Dictionary<string, RedisResult>> ConfigGetAsync(IServer server, string pattern, CancellationToken cancellationToken)
    {
        var result = await server.ExecuteAsync("CONFIG", "GET", pattern).WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.ToDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static string? Setting(Dictionary<string, RedisResult> settings, string name) =>
        settings.TryGetValue(name, out var value) ? (string?)value : null;

    private static string? InfoField(string? info, string name)
    {
        foreach (var line in (info ?? string.Empty).Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return trimmed[(name.Length + 1)..];
            }
        }

        return null;
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length <= 160 ? line : line[..160] + "...";
    }
}
