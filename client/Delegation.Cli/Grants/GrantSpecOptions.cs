using System.CommandLine;
using Delegation.Cli.CommandLine;
using Delegation.Grants;

namespace Delegation.Cli.Grants;

/// <summary>
/// The arguments and options that <c>grant</c> and <c>delegate</c> share: scope, budget, expiry, depth and purpose.
/// Only the command-line syntax is checked here; the silo decides everything else (attenuation, limits).
/// </summary>
internal sealed class GrantSpecOptions
{
    private readonly Argument<string[]> _scope = new("scope")
    {
        Description = "Permissions, each action[@resource], e.g. tickets:read@projects/42/*",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<long?> _budget = new("--budget")
    {
        Description = "Units the grant may spend in all (calls, tokens, cents); absent for no limit of its own",
        HelpName = "units",
    };

    private readonly Option<TimeSpan?> _ttl = new("--ttl")
    {
        Description = "Expires this long from now: 90s, 15m, 1h30m, 7d (or plain seconds)",
        HelpName = "duration",
        CustomParser = ParsedValues.Duration,
    };

    private readonly Option<DateTimeOffset?> _expiresAt = new("--expires-at")
    {
        Description = "Expires at this time, ISO 8601 (UTC when no offset is given)",
        HelpName = "time",
        CustomParser = ParsedValues.Instant,
    };

    private readonly Option<int?> _maxDepth = new("--max-depth")
    {
        Description = "Greatest depth of any descendant delegation",
        HelpName = "depth",
    };

    private readonly Option<string?> _purpose = new("--purpose")
    {
        Description = "Free text for operators: why this grant exists",
        HelpName = "text",
    };

    private readonly Option<RateLimit?> _rate = new("--rate")
    {
        Description = "How fast the grant may be used: requests per interval, e.g. 10/1m or 5/1s (a child's at most its parent's)",
        HelpName = "n/duration",
        CustomParser = ParsedValues.Rate,
    };

    private readonly Option<long?> _burst = new("--burst")
    {
        Description = "With --rate: the most used at once after a quiet spell (default: the rate's n)",
        HelpName = "n",
    };

    private readonly Option<RateUnit?> _ratePer = new("--rate-per")
    {
        Description = "With --rate: what is counted, requests (default) or cost",
        HelpName = "requests|cost",
    };

    /// <summary>Adds the scope argument (after the command's own arguments) and the options, and requires exactly one expiry.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(_scope);
        command.Options.Add(_budget);
        command.Options.Add(_ttl);
        command.Options.Add(_expiresAt);
        command.Options.Add(_maxDepth);
        command.Options.Add(_purpose);
        command.Options.Add(_rate);
        command.Options.Add(_burst);
        command.Options.Add(_ratePer);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_rate) is null && (result.GetResult(_burst) is not null || result.GetResult(_ratePer) is not null))
            {
                result.AddError("--burst and --rate-per go with --rate (e.g. --rate 10/1m --burst 20).");
            }

            var ttl = result.GetResult(_ttl) is not null;
            var expiresAt = result.GetResult(_expiresAt) is not null;
            if (ttl == expiresAt)
            {
                result.AddError(ttl
                    ? "Give --ttl or --expires-at, not both."
                    : "An expiry is required: give --ttl (e.g. --ttl 1h) or --expires-at.");
            }
        });
    }

    /// <summary>Reads the values of one invocation.</summary>
    public GrantSpec Read(ParseResult parsed)
    {
        var ttl = parsed.GetValue(_ttl);
        return new GrantSpec(
            parsed.GetValue(_scope) ?? [],
            parsed.GetValue(_budget),
            parsed.GetValue(_expiresAt),
            ttl is { } t ? (long)Math.Ceiling(t.TotalSeconds) : null,
            parsed.GetValue(_maxDepth),
            parsed.GetValue(_purpose),
            parsed.GetValue(_rate) is { } rate
                ? rate with { Burst = parsed.GetValue(_burst), Per = parsed.GetValue(_ratePer) ?? RateUnit.Requests }
                : null);
    }
}
