using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Delegation.Tests.Cli;

/// <summary>A CLI process that runs until stopped (a tail): its output read line by line, killed on dispose.</summary>
public sealed class RunningCli : IDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(30);
    private readonly System.Diagnostics.Process _process;
    private readonly string[] _args;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _stderr = [];

    internal RunningCli(System.Diagnostics.Process process, string[] args)
    {
        _process = process;
        _args = args;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Reads output lines until one satisfies <paramref name="match"/>; fails after a generous bound.</summary>
    public async Task<string> ReadLineUntilAsync(Func<string, bool> match)
    {
        using var timeout = new CancellationTokenSource(LineTimeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below.
        }

        throw new TimeoutException($"delegation {string.Join(' ', _args)} printed no matching line within {LineTimeout.TotalSeconds} s; stderr: {Stderr}");
    }

    /// <summary>Sends SIGTERM (what Ctrl+C or a supervisor's stop does) and returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        Assert.Equal(0, Kill(_process.Id, SigTerm));

        using var timeout = new CancellationTokenSource(LineTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return string.Join(Environment.NewLine, _stderr);
            }
        }
    }

    // POSIX kill(2): .NET can only SIGKILL a process, and the point is to see the tool stop cleanly.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
