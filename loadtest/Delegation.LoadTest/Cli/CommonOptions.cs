using System.CommandLine;

namespace Delegation.LoadTest.Cli;

/// <summary>The options every scenario command takes, with defaults that finish in about a minute on 2 cores.</summary>
public sealed class CommonOptions
{
    private readonly Option<string> _store = new("--store")
    {
        Description = "Store of the silo the scenario starts: memory or sqlite (a fresh temporary file).",
        DefaultValueFactory = _ => "memory",
    };

    private readonly Option<string?> _url = new("--url")
    {
        Description = "Drive an already running silo at this loopback URL instead of starting one (needs --admin-key).",
    };

    private readonly Option<string?> _adminKey = new("--admin-key") { Description = "The admin key of the silo at --url." };

    private readonly Option<int> _concurrency;

    private readonly Option<double> _warmup = new("--warmup")
    {
        Description = "Seconds of warm-up before each measured row (thrown away).",
        DefaultValueFactory = _ => 2,
    };

    private readonly Option<double> _duration;

    private readonly Option<string> _mode = new("--mode")
    {
        Description = "closed (each worker waits for its answer), open (fixed rate, latency from the scheduled send time) or both.",
        DefaultValueFactory = _ => "both",
    };

    private readonly Option<double> _rate = new("--rate")
    {
        Description = "Open-loop rate in operations per second; 0 picks half of the closed-loop throughput measured just before.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<long> _maxOps = new("--max-ops")
    {
        Description = "Hard cap on operations per measured row, whatever the duration.",
        DefaultValueFactory = _ => 200_000_000,
    };

    private readonly Option<int> _slices = new("--slices")
    {
        Description = "Rows compared with a baseline take turns in this many slices of the duration, so drifting background load hits them alike.",
        DefaultValueFactory = _ => 4,
    };

    private readonly Option<string> _out = new("--out")
    {
        Description = "Directory for the JSON, Markdown and SVG output.",
        DefaultValueFactory = _ => RepositoryPaths.Results,
    };

    /// <summary>Options with scenario-specific defaults for concurrency and duration.</summary>
    public CommonOptions(int defaultConcurrency, double defaultDurationSeconds)
    {
        _concurrency = new Option<int>("--concurrency", "-c")
        {
            Description = "Workers with one operation in flight each (threads for in-process rows, connections for HTTP rows).",
            DefaultValueFactory = _ => defaultConcurrency,
        };
        _duration = new Option<double>("--duration", "-d")
        {
            Description = "Seconds each measured row runs.",
            DefaultValueFactory = _ => defaultDurationSeconds,
        };
        _mode.AcceptOnlyFromAmong("closed", "open", "both");
        _url.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string?>();
            if (text is not null && !SiloUrl.TryParse(text, out _, out var error))
            {
                result.AddError(error);
            }
        });
        _concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1024)
            {
                result.AddError("--concurrency must be between 1 and 1024.");
            }
        });
        _duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or > 3600)
            {
                result.AddError("--duration must be more than 0 and at most 3600 seconds.");
            }
        });
        _warmup.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 600)
            {
                result.AddError("--warmup must be between 0 and 600 seconds.");
            }
        });
        _store.AcceptOnlyFromAmong("memory", "sqlite");
    }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _store, _url, _adminKey, _concurrency, _warmup, _duration, _mode, _rate, _maxOps, _slices, _out })
        {
            command.Add(option);
        }
    }

    /// <summary>The parsed values.</summary>
    public ScenarioSettings Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var concurrency = result.GetValue(_concurrency);
        var duration = result.GetValue(_duration);
        var warmup = result.GetValue(_warmup);
        Uri? url = null;
        if (result.GetValue(_url) is { } text)
        {
            SiloUrl.TryParse(text, out url, out _);
        }

        return new ScenarioSettings(
            result.GetValue(_store)!,
            url,
            result.GetValue(_adminKey),
            concurrency,
            TimeSpan.FromSeconds(warmup),
            TimeSpan.FromSeconds(duration),
            result.GetValue(_mode)!,
            result.GetValue(_rate),
            Math.Max(1, result.GetValue(_maxOps)),
            result.GetValue(_out)!,
            Math.Clamp(result.GetValue(_slices), 1, 100));
    }
}
