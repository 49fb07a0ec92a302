using Delegation.Grants;
using Delegation.Storage.Redis;
using Delegation.Tests.Cluster;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Delegation.Tests.Storage;

/// <summary>
/// The durability check and passwords against redis-server processes of the tests' own (see
/// <see cref="ThrowawayRedisServer"/>), each with the settings under test, and the shared durable test server.
/// </summary>
public sealed class RedisDurabilityTests
{
    private const string Durable = "--appendonly yes --appendfsync always";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_server_with_appendfsync_everysec_is_refused_with_one_line_naming_the_setting()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(Settings("--appendonly yes --appendfsync everysec"));
        await using var store = new RedisEventStore(server.Endpoint, Options());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        Assert.Equal(
            $"Redis at {server.Endpoint} has appendfsync everysec: an acknowledged write could be lost in a crash; " +
            "set appendonly yes and appendfsync always, or Delegation:Redis:AllowVolatile=true for development",
            error.Message);
    }

    [Fact]
    public async Task A_server_without_an_append_only_file_is_refused_naming_appendonly_no()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(Settings("--appendonly no"));
        await using var store = new RedisEventStore(server.Endpoint, Options());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        AssertOneLine(error.Message, $"Redis at {server.Endpoint} has appendonly no:", RedisDurability.AllowVolatileSetting);
    }

    [Fact]
    public async Task A_server_that_may_evict_any_key_is_refused_naming_its_maxmemory_policy()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(Settings(Durable + " --maxmemory-policy allkeys-lru"));
        await using var store = new RedisEventStore(server.Endpoint, Options());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.InitializeAsync());

        AssertOneLine(error.Message, $"Redis at {server.Endpoint} has maxmemory-policy allkeys-lru:", "noeviction");
    }

    [Fact]
    public async Task AllowVolatile_lets_a_store_run_on_a_volatile_server_and_warns_naming_the_setting()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(Settings("--appendonly no"));
        var log = new RecordingLoggerFactory();
        await using var store = new RedisEventStore(server.Endpoint, Options(allowVolatile: true), log);

        await store.InitializeAsync();
        var appended = await store.AppendAsync(GrantId.NewRoot(), 0, [SampleEvents.Marker("volatile")], SampleEvents.T0, null);

        Assert.True(appended.Succeeded);
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("appendonly no", warning.Text, StringComparison.Ordinal);
        Assert.Contains("AllowVolatile", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_durable_test_server_is_accepted()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisTestServer.Endpoint);
        var log = new RecordingLoggerFactory();

        await RedisDurability.EnsureDurableAsync(redis, allowVolatile: false, log.CreateLogger("durability"));

        var checkedLine = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Information, checkedLine.Level);
        Assert.Contains("appendonly yes, appendfsync always", checkedLine.Text, StringComparison.Ordinal);
    }

    /// <summary>Managed servers often rename CONFIG away or withhold it; an ACL user without it stands in for them.</summary>
    [Fact]
    public async Task Without_CONFIG_a_server_without_an_append_only_file_is_still_refused_from_INFO()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(
            [.. Settings("--appendonly no"), "--user", "app", "on", ">app-secret", "~*", "&*", "+@all", "-config"]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},user=app,password=app-secret");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisDurability.EnsureDurableAsync(redis, allowVolatile: false));

        AssertOneLine(error.Message, $"Redis at {server.Endpoint} has appendonly no (read from INFO; CONFIG GET: NOPERM", "appendfsync always");
    }

    [Fact]
    public async Task Without_CONFIG_an_append_only_server_is_refused_because_its_appendfsync_cannot_be_read_unless_AllowVolatile()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(
            [.. Settings(Durable), "--user", "app", "on", ">app-secret", "~*", "&*", "+@all", "-config"]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},user=app,password=app-secret");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisDurability.EnsureDurableAsync(redis, allowVolatile: false));
        await RedisDurability.EnsureDurableAsync(redis, allowVolatile: true);

        AssertOneLine(error.Message, $"Redis at {server.Endpoint} has appendonly yes but its appendfsync cannot be read", RedisDurability.AllowVolatileSetting);
    }

    [Fact]
    public async Task A_user_that_can_read_neither_CONFIG_nor_INFO_is_refused_with_a_line_saying_so()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(
            [.. Settings(Durable), "--user", "app", "on", ">app-secret", "~*", "&*", "+@all", "-config", "-info"]);
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},user=app,password=app-secret");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisDurability.EnsureDurableAsync(redis, allowVolatile: false));

        AssertOneLine(error.Message, $"Redis at {server.Endpoint} does not let its persistence settings be read", "INFO: NOPERM");
    }

    [Fact]
    public async Task A_password_protected_server_works_with_the_password_and_fails_clearly_without_it()
    {
        const string Password = "requirepass-secret-4711";
        await using var server = await ThrowawayRedisServer.StartAsync([.. Settings(Durable), "--requirepass", Password]);
        var log = new RecordingLoggerFactory();
        await using var withPassword = new RedisEventStore($"{server.Endpoint},password={Password}", Options(), log);
        await using var without = new RedisEventStore($"{server.Endpoint},connectTimeout=2000", Options(), log);
        await using var wrong = new RedisEventStore($"{server.Endpoint},password=wrong-secret-0815,connectTimeout=2000", Options(), log);

        await withPassword.InitializeAsync();
        var tree = GrantId.NewRoot();
        await withPassword.AppendAsync(tree, 0, [SampleEvents.Marker("with-password")], SampleEvents.T0, null);
        var noPassword = await Assert.ThrowsAsync<RedisConnectionException>(() => without.InitializeAsync());
        var wrongPassword = await Assert.ThrowsAsync<RedisConnectionException>(() => wrong.InitializeAsync());

        Assert.Single(await withPassword.ReadTreeAsync(tree));
        Assert.Equal(ConnectionFailureType.AuthenticationFailure, noPassword.FailureType);
        Assert.Equal(ConnectionFailureType.AuthenticationFailure, wrongPassword.FailureType);
        Assert.DoesNotContain("wrong-secret-0815", wrongPassword.ToString(), StringComparison.Ordinal);
        Assert.Equal(server.Endpoint, withPassword.Server);
        Assert.All(log.Entries, e => Assert.DoesNotContain(Password, e.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ACL_user_and_password_work_through_the_configuration_string()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(
            [.. Settings(Durable), "--user", "default", "off", "--user", "silo", "on", ">silo-secret", "~*", "&*", "+@all"]);
        await using var store = new RedisEventStore($"{server.Endpoint},user=silo,password=silo-secret", Options());

        await store.InitializeAsync();
        var result = await store.AppendAsync(GrantId.NewRoot(), 0, [SampleEvents.Marker("acl")], SampleEvents.T0, null);

        Assert.True(result.Succeeded);
    }

    /// <summary>
    /// What appendfsync always buys: an append that returned is on disk. The server is killed with SIGKILL (no
    /// shutdown, no final fsync) right after the appends; after a restart every acknowledged event is there, the
    /// feed and versions go on where they stopped, and the script is loaded again by itself.
    /// </summary>
    [Fact]
    public async Task Acknowledged_appends_survive_a_kill_9_of_the_server_and_the_store_goes_on_after_its_restart()
    {
        await using var server = await ThrowawayRedisServer.StartAsync(Settings(Durable));
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.Endpoint},asyncTimeout=2000,connectTimeout=2000");
        await using var store = new RedisEventStore(redis, Options());
        await store.InitializeAsync();
        var tree = GrantId.NewRoot();
        for (var version = 0; version < 20; version++)
        {
            Assert.True((await store.AppendAsync(tree, version, [SampleEvents.Marker($"acked-{version}")], SampleEvents.T0, null)).Succeeded);
        }

        var restored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        redis.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                restored.TrySetResult();
            }
        };
        await server.KillAsync();
        await Assert.ThrowsAnyAsync<RedisException>(() => store.AppendAsync(tree, 20, [SampleEvents.Marker("while-down")], SampleEvents.T0, null));
        await server.RestartAsync();
        await restored.Task.WaitAsync(Patience);

        var events = await store.ReadTreeAsync(tree);
        Assert.Equal(Enumerable.Range(0, 20).Select(v => $"acked-{v}"), events.Select(e => ((Delegation.Events.GrantExpired)e.Event).GrantId));
        Assert.Equal(20, await store.GetFeedHeadAsync());
        var next = await store.AppendAsync(tree, 20, [SampleEvents.Marker("after-restart")], SampleEvents.T0, null);
        Assert.Equal((21L, 21L), (next.Events[0].Seq, next.Events[0].Version));
    }

    private static RedisStoreOptions Options(bool allowVolatile = false) =>
        new() { KeyPrefix = $"dlg-test:{Guid.NewGuid():N}:", AllowVolatile = allowVolatile };

    private static string[] Settings(string settings) => settings.Split(' ');

    private static void AssertOneLine(string message, string start, string mentions)
    {
        Assert.StartsWith(start, message, StringComparison.Ordinal);
        Assert.Contains(mentions, message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }
}
