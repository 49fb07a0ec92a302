using FsCheck;
using FsCheck.Fluent;

namespace Delegation.Tests.Model;

/// <summary>One step of a random run; indices pick among the grants or leases that exist at that step.</summary>
public abstract record BudgetOp;

public sealed record DelegateOp(int Parent, int BudgetPercent, bool Unlimited, int LifetimeMinutes) : BudgetOp;

public sealed record ReserveOp(int Grant, long Units, int TtlMinutes) : BudgetOp;

public sealed record SettleOp(int Lease, int UsedPercent) : BudgetOp;

public sealed record AdvanceOp(int Minutes) : BudgetOp;

public sealed record RevokeOp(int Grant) : BudgetOp;

public sealed record SuspendOp(int Grant) : BudgetOp;

public sealed record ResumeOp(int Grant) : BudgetOp;

/// <summary>A root budget (null for none) and the steps that follow.</summary>
public sealed record BudgetRun(long? RootBudget, BudgetOp[] Ops)
{
    public override string ToString() => $"root budget {RootBudget?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}: {string.Join("; ", Ops.Select(o => o.ToString()))}";
}

public static class BudgetRunGenerators
{
    public static Arbitrary<BudgetRun> Runs() => Arb.From(
        from budget in Gen.Frequency((4, Gen.Choose(0, 200).Select(b => (long?)b)), (1, Gen.Constant<long?>(null)))
        from length in Gen.Choose(1, 60)
        from ops in Gen.ArrayOf(Op, length)
        select new BudgetRun(budget, ops));

    private static Gen<BudgetOp> Op => Gen.Frequency(
        (4, from parent in Gen.Choose(0, 50)
            from percent in Gen.Choose(0, 130)
            from unlimited in Gen.Frequency((1, Gen.Constant(true)), (6, Gen.Constant(false)))
            from minutes in Gen.Choose(0, 120)
            select (BudgetOp)new DelegateOp(parent, percent, unlimited, minutes)),
        (6, from grant in Gen.Choose(0, 50)
            from units in Gen.Choose(1, 120)
            from ttl in Gen.Choose(1, 10)
            select (BudgetOp)new ReserveOp(grant, units, ttl)),
        (4, from lease in Gen.Choose(0, 50)
            from percent in Gen.Choose(0, 100)
            select (BudgetOp)new SettleOp(lease, percent)),
        (2, Gen.Choose(1, 6).Select(m => (BudgetOp)new AdvanceOp(m))),
        (1, Gen.Choose(0, 50).Select(g => (BudgetOp)new RevokeOp(g))),
        (1, Gen.Choose(0, 50).Select(g => (BudgetOp)new SuspendOp(g))),
        (1, Gen.Choose(0, 50).Select(g => (BudgetOp)new ResumeOp(g))));
}
