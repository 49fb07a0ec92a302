using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ShardSim;

/// <summary>
/// One throwaway redis-server, a child of this process: its own directory and free port on 127.0.0.1,
/// <c>appendonly yes</c> with the given <c>appendfsync</c>, no snapshots. <see cref="DisposeAsync"/> shuts it down
/// (SHUTDOWN NOSAVE, then a kill of its pid if it has not exited within 10 s) and deletes its directory.
/// </summary>
internal sealed class RedisShard : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisShard(Process process, string directory, int port, ConnectionMultiplexer connection)
    {
        (_process, _directory, Port, Connection) = (process, directory, port, connection);
    }

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The connection the stores of this shard share (one multiplexer per shard, as a silo has one per server).</summary>
    public ConnectionMultiplexer Connection { get; }

    /// <summary>The server's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts a server (a Redis Cluster node when <paramref name="clusterNode"/>) and waits (at most 10 s) until it answers.</summary>
    public static async Task<RedisShard> StartAsync(string appendFsync, bool clusterNode)
    {
        var directory = Directory.CreateTempSubdirectory("shard-sim-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--dir", directory,
            "--appendonly", "yes", "--appendfsync", appendFsync, "--save", "", "--daemonize", "no",
            "--logfile", Path.Combine(directory, "redis.log"),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (clusterNode)
        {
            foreach (var argument in new[] { "--cluster-enabled", "yes", "--cluster-config-file", Path.Combine(directory, "nodes.conf"), "--cluster-node-timeout", "5000" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start (is Debian's redis-server package installed?)");
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port}");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 1000;
        options.AllowAdmin = true;   // INFO and SHUTDOWN of a server this process started
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        var watch = Stopwatch.StartNew();
        while (!await AnswersAsync(connection))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10) || process.HasExited)
            {
                await connection.DisposeAsync();
                Stop(process);
                Directory.Delete(directory, recursive: true);
                throw new InvalidOperationException($"redis-server on port {port} did not answer within 10 s");
            }

            await Task.Delay(50);
        }

        return new RedisShard(process, directory, port, connection);
    }

    /// <summary>The CPU time the server has used so far (all its threads).</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Runs a command on this server (admin commands included).</summary>
    public Task<RedisResult> ExecuteAsync(string command, params object[] arguments) =>
        Connection.GetServer("127.0.0.1", Port).ExecuteAsync(command, arguments);

    /// <summary>The server's <c>used_memory</c> in bytes.</summary>
    public async Task<long> UsedMemoryAsync()
    {
        var info = await Connection.GetServer("127.0.0.1", Port).InfoAsync("memory");
        var used = info.SelectMany(g => g).First(p => p.Key == "used_memory").Value;
        return long.Parse(used, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connection.GetServer("127.0.0.1", Port).ExecuteAsync("SHUTDOWN", "NOSAVE");
        }
        catch (RedisException)
        {
            // The server closes the connection as it shuts down: expected.
        }

        await Connection.DisposeAsync();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            Stop(_process);
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }

    private static async Task<bool> AnswersAsync(ConnectionMultiplexer connection)
    {
        try
        {
            await connection.GetDatabase().PingAsync();
            return true;
        }
        catch (RedisException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
