namespace Delegation.Scopes;

/// <summary>Exact coverage of one child permission by the union of several parent permissions.</summary>
/// <remarks>
/// Why the procedure is exact. Write [p] for the set of concrete requests (a, r) a permission p allows; we
/// decide [A@R] ⊆ ∪ⱼ [Aⱼ@Rⱼ]. Segment values come from an infinite alphabet, so a segment that occurs in
/// no pattern ("fresh") always exists.
/// <list type="number">
/// <item>Actions. Let a* be A's literals, followed by one fresh segment if A ends in '*'. For every action
/// pattern Aⱼ, a* ∈ [Aⱼ] iff [A] ⊆ [Aⱼ] (a literal Aⱼ cannot contain a fresh segment, nor contain an
/// infinite [A]; an open Aⱼ reads only literals of A, and needs A at least as long). So the requests
/// (a*, r) are allowed only by C = {j : [A] ⊆ [Aⱼ]}, which makes [R] ⊆ ∪_C [Rⱼ] necessary; it is plainly
/// sufficient. Action coverage is therefore decided per parent.</item>
/// <item>Lengths. Split [R] by path length L. Restricted to length L a resource pattern is a product of
/// per-position sets, each a single literal or everything ('*', or a position under '**'). Such a product
/// S lies in a finite union of such products iff it lies in one of them: pick s ∈ S with a fresh segment
/// at each everything-position of S; a product T that contains s has, at each position, everything or
/// the literal s has there, which is not fresh, hence S's literal; so S ⊆ T.</item>
/// <item>Per parent. Rⱼ covers R at length L iff L is one of Rⱼ's lengths and each of Rⱼ's fixed
/// positions is '*' or the literal R has there (R's positions past its fixed part are everything). The
/// second condition does not depend on L, because L ≥ Rⱼ's fixed length whenever Rⱼ admits L; it is
/// computed once per parent.</item>
/// <item>Enough lengths. R admits its fixed length n, or every L ≥ n if it ends in '**'. For
/// L &gt; M = max(n, fixed lengths in C), the parents admitting L are exactly those ending in '**' and
/// nothing in step 3 depends on L, so L = M + 1 settles every larger length.</item>
/// </list>
/// </remarks>
internal static class Coverage
{
    /// <summary>Whether the union of <paramref name="parents"/> allows every request <paramref name="child"/> allows.</summary>
    public static bool UnionCovers(ReadOnlySpan<Permission> parents, Permission child)
    {
        var resource = child.ResourcePattern;

        // The candidates from steps 1 and 3, reduced to the lengths they admit.
        Span<int> fixedLengths = stackalloc int[parents.Length];
        Span<bool> open = stackalloc bool[parents.Length];
        var count = 0;
        var longest = resource.FixedLength;
        foreach (var parent in parents)
        {
            if (parent.ActionPattern.Covers(child.ActionPattern) && parent.ResourcePattern.CoversPositionsOf(resource))
            {
                fixedLengths[count] = parent.ResourcePattern.FixedLength;
                open[count] = parent.ResourcePattern.IsOpen;
                longest = Math.Max(longest, fixedLengths[count]);
                count++;
            }
        }

        var lastLength = resource.IsOpen ? longest + 1 : resource.FixedLength;
        for (var length = resource.FixedLength; length <= lastLength; length++)
        {
            if (!AnyAdmits(fixedLengths[..count], open[..count], length))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyAdmits(ReadOnlySpan<int> fixedLengths, ReadOnlySpan<bool> open, int length)
    {
        for (var i = 0; i < fixedLengths.Length; i++)
        {
            if (open[i] ? length >= fixedLengths[i] : length == fixedLengths[i])
            {
                return true;
            }
        }

        return false;
    }
}
