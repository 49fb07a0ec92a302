using Delegation.Api;
using Delegation.Events;
using Delegation.Grains.Errors;

namespace Delegation.Grains.Model;

public static partial class TreeCommands
{
    /// <summary>Longest a lease may live.</summary>
    public static readonly TimeSpan MaxLeaseLifetime = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Reserves up to <paramref name="units"/> on the chain of an effectively active grant: as many as every grant
    /// in the chain still has available (possibly fewer than asked), never more. Refuses when none are available.
    /// </summary>
    public static LeaseReserved ReserveLease(TreeState state, string grantId, long units, string holder, string leaseId, TimeSpan ttl, DateTimeOffset now)
    {
        var grant = FindGrant(state, grantId);
        if (units <= 0 || units > ModelLimits.MaxBudget)
        {
            throw new RequestValidationException($"'units' must be between 1 and {ModelLimits.MaxBudget}.");
        }

        RequestRules.Name(holder, "holder");
        if (ttl <= TimeSpan.Zero || ttl > MaxLeaseLifetime)
        {
            throw new RequestValidationException($"A lease lives between 1 and {(long)MaxLeaseLifetime.TotalSeconds} seconds.");
        }

        var effective = state.EffectiveOf(grant, now);
        if (!effective.IsActive)
        {
            throw new ConflictException($"Grant {grantId} is not active ({effective.Reason}); it cannot take a lease.");
        }

        var granted = state.AvailableFor(grant) is { } available ? Math.Min(units, available) : units;
        if (granted <= 0)
        {
            throw new ConflictException($"Grant {grantId} has no budget left to lease.", ErrorCodes.BudgetExhausted);
        }

        var expiresAt = now + ttl;
        if (expiresAt > grant.Record.ExpiresAt)
        {
            expiresAt = grant.Record.ExpiresAt;
        }

        return new LeaseReserved(leaseId, grantId, granted, holder, expiresAt);
    }

    /// <summary>Settles a live lease: <paramref name="used"/> units become spent and the rest is released.</summary>
    public static LeaseSettled SettleLease(TreeState state, string leaseId, long used, DateTimeOffset now)
    {
        var lease = state.Leases.GetValueOrDefault(leaseId)
            ?? throw new NotFoundException($"No live lease {leaseId}: it was settled, it expired, or it never existed.");
        if (now >= lease.ExpiresAt)
        {
            throw new ConflictException($"Lease {leaseId} expired at {lease.ExpiresAt:O}; it already counts as fully spent.");
        }

        if (used < 0 || used > lease.Units)
        {
            throw new RequestValidationException($"'used' must be between 0 and the lease's {lease.Units} units.");
        }

        return new LeaseSettled(leaseId, used);
    }
}
