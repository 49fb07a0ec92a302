using Delegation.Api;
using Delegation.Grains.Errors;
using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Grains.Model;

/// <summary>Shape checks shared by grants and delegations; each failure is a 400 with an exact message.</summary>
internal static class RequestRules
{
    public static string Name(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new RequestValidationException($"'{field}' is required.");
        }

        if (value.Length > ModelLimits.MaxNameLength)
        {
            throw new RequestValidationException($"'{field}' must be at most {ModelLimits.MaxNameLength} characters.");
        }

        if (value.Any(char.IsControl) || value != value.Trim())
        {
            throw new RequestValidationException($"'{field}' must not contain control characters or leading or trailing spaces.");
        }

        return value;
    }

    // The silo runs without ICU (InvariantGlobalization), where string.IsNormalized cannot tell, so this checks what
    // makes look-alike names in practice: a combining diacritical mark (U+0300-U+036F) right after a Latin, Greek or
    // Cyrillic letter, which NFC writes composed ('e' + U+0301 is 'é'). Other scripts' marks are left alone.
    private static bool IsNfc(string name)
    {
        for (var i = 1; i < name.Length; i++)
        {
            if (name[i] is >= '\u0300' and <= '\u036F' && name[i - 1] is >= 'A' and <= '\u04FF' && char.IsLetter(name[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A new user or agent name: <see cref="Name"/>, and nothing that would make it read as another name (see
    /// <see cref="NameCharacters"/>), in Unicode normalization form C, and not <c>.</c> or <c>..</c> (which no URL path can carry to a kill switch). Names already stored are looked up as they are.
    /// </summary>
    public static string NewName(string? value, string field)
    {
        if (value is not null && NameCharacters.FirstOdd(value) is { } odd)
        {
            throw new RequestValidationException(
                $"'{field}' must not contain control, invisible, bidirectional-override or non-space whitespace characters (found {odd}).",
                ErrorCodes.InvalidName);
        }

        var name = Name(value, field);

        // Refused, not normalised: a name is matched exactly (kill switches, audit filters), so a stored name must be
        // the one spelling its sender will use again; "e" + U+0301 and "é" would otherwise be two agents that look alike.
        if (!IsNfc(name))
        {
            throw new RequestValidationException(
                $"'{field}' must be in Unicode normalization form C (NFC): a letter and its accent composed (for example 'é', not 'e' + U+0301).",
                ErrorCodes.InvalidName);
        }

        if (name is "." or "..")
        {
            throw new RequestValidationException($"'{field}' must not be '.' or '..': a URL path cannot carry it.", ErrorCodes.InvalidName);
        }

        return name;
    }

    public static string? Text(string? value, string field)
    {
        if (value is not null && value.Length > ModelLimits.MaxTextLength)
        {
            throw new RequestValidationException($"'{field}' must be at most {ModelLimits.MaxTextLength} characters.");
        }

        return value;
    }

    public static Scope Scope(IReadOnlyList<string>? scope)
    {
        if (scope is null || scope.Count == 0)
        {
            throw new RequestValidationException("'scope' is required: give at least one permission.", ErrorCodes.InvalidScope);
        }

        try
        {
            return Scopes.Scope.Parse(scope);
        }
        catch (ScopeFormatException ex)
        {
            throw new RequestValidationException(ex.Message, ScopeErrorCode(ex));
        }
    }

    /// <summary>
    /// A scope whose permissions may be marked <c>!</c> (<c>!payments:send@accounts/**</c>): a marked permission is
    /// allowed like any other, but each request it matches needs a person's approval. Returns the scope without the
    /// marks, and the marked permissions as <paramref name="approval"/> (null when none is marked).
    /// </summary>
    public static Scope MarkedScope(IReadOnlyList<string>? scope, out Scope? approval)
    {
        approval = null;
        if (scope is null || !scope.Any(p => p is not null && p.StartsWith(ApprovalMarker)))
        {
            return Scope(scope);
        }

        var plain = scope.Select(p => p is not null && p.StartsWith(ApprovalMarker) ? p[1..] : p!).ToArray();
        var parsed = Scope(plain);
        approval = Scope(scope.Where(p => p is not null && p.StartsWith(ApprovalMarker)).Select(p => p[1..]).ToArray());
        return parsed;
    }

    /// <summary>The mark of a permission that needs approval per request.</summary>
    public const char ApprovalMarker = '!';

    /// <summary>The code of a malformed resource in a check: non-canonical, or otherwise invalid.</summary>
    public static string ResourceErrorCode(string? resource) =>
        RequestSyntax.IsNonCanonicalResource(resource) ? ErrorCodes.NonCanonicalResource : ErrorCodes.ValidationFailed;

    private static string ScopeErrorCode(ScopeFormatException ex) =>
        ex.Reason == RequestSyntax.DotSegmentReason ? ErrorCodes.NonCanonicalResource : ErrorCodes.InvalidScope;

    public static long? Budget(long? budget)
    {
        if (budget is < 0)
        {
            throw new RequestValidationException("'budget' must not be negative.");
        }

        if (budget > ModelLimits.MaxBudget)
        {
            throw new RequestValidationException($"'budget' must be at most {ModelLimits.MaxBudget}.");
        }

        return budget;
    }

    /// <summary>A rate limit's shape: a positive limit, an interval of 1 s to a day, a burst of at least 1; the burst filled in.</summary>
    public static RateLimit? Rate(RateLimit? rate)
    {
        if (rate is null)
        {
            return null;
        }

        if (rate.Limit < 1 || rate.Limit > ModelLimits.MaxBudget)
        {
            throw new RequestValidationException($"'rate.limit' must be between 1 and {ModelLimits.MaxBudget}.");
        }

        if (rate.IntervalSeconds < 1 || rate.IntervalSeconds > ModelLimits.MaxRateIntervalSeconds)
        {
            throw new RequestValidationException($"'rate.intervalSeconds' must be between 1 and {ModelLimits.MaxRateIntervalSeconds}.");
        }

        if (rate.Burst is < 1 || rate.Burst > ModelLimits.MaxBudget)
        {
            throw new RequestValidationException($"'rate.burst' must be between 1 and {ModelLimits.MaxBudget}.");
        }

        if (!Enum.IsDefined(rate.Per))
        {
            throw new RequestValidationException("'rate.per' must be 'requests' or 'cost'.");
        }

        return rate with { Burst = rate.Capacity };
    }

    public static DateTimeOffset Expiry(DateTimeOffset? expiresAt, long? ttlSeconds, DateTimeOffset now)
    {
        if (expiresAt is not null && ttlSeconds is not null)
        {
            throw new RequestValidationException("Give 'expiresAt' or 'ttlSeconds', not both.");
        }

        if (ttlSeconds is { } ttl)
        {
            if (ttl <= 0)
            {
                throw new RequestValidationException("'ttlSeconds' must be positive.");
            }

            if (ttl > ModelLimits.MaxLifetime.TotalSeconds)
            {
                throw new RequestValidationException($"'ttlSeconds' must be at most {(long)ModelLimits.MaxLifetime.TotalSeconds}.");
            }

            return now.AddSeconds(ttl);
        }

        if (expiresAt is not { } at)
        {
            throw new RequestValidationException("'expiresAt' or 'ttlSeconds' is required.");
        }

        if (at <= now)
        {
            throw new RequestValidationException($"'expiresAt' ({at:O}) is not in the future.");
        }

        if (at - now > ModelLimits.MaxLifetime)
        {
            throw new RequestValidationException("'expiresAt' is more than ten years away.");
        }

        return at.ToUniversalTime();
    }

    public static int MaxDepth(int? maxDepth, int @default)
    {
        var value = maxDepth ?? @default;
        if (value is < 0 or > ModelLimits.MaxDepth)
        {
            throw new RequestValidationException($"'maxDepth' must be between 0 and {ModelLimits.MaxDepth}.");
        }

        return value;
    }
}
