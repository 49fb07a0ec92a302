using Delegation.Scopes;

namespace Delegation.Tests.Scopes;

/// <summary>
/// Searches every concrete request that could tell two scopes apart: segments drawn from the scopes'
/// literals plus a fresh one ("zz"), lengths up to two past the longest fixed part of any pattern.
/// </summary>
/// <remarks>
/// At each position only the literals some pattern has at that position are tried, besides "zz": any
/// other literal there is matched by exactly the same patterns as "zz". And a permission allows (action, resource) iff its action pattern allows the action and its resource
/// pattern allows the resource, so the search matches actions and resources separately, as bit masks over
/// the permissions, instead of trying every pair against every permission. A witness it finds is checked
/// against <see cref="Scope.Allows"/> itself.
/// </remarks>
internal static class BruteForce
{
    private const string Fresh = "zz";

    public static Request? Witness(Scope parent, Scope child)
    {
        var permissions = parent.Permissions.Concat(child.Permissions).ToList();
        var actionParts = permissions.Select(p => Fixed(p.Action, ':', "*")).ToList();
        var resourceParts = permissions.Select(p => p.Resource is null ? [] : Fixed(p.Resource, '/', "**")).ToList();
        var actions = Paths(actionParts, 1, ':').ToList();
        var resources = Paths(resourceParts, 0, '/').ToList();

        var actionOnly = permissions.Select(p => Permission.Parse(p.Action)).ToList();
        var resourceOnly = permissions.Select(p => Permission.Parse(p.Resource is null ? "x" : $"x@{p.Resource}")).ToList();
        var actionMasks = actions.Select(a => Mask(actionOnly, q => q.Matches(a, ""))).ToList();
        var resourceMasks = resources.Select(r => Mask(resourceOnly, q => q.Matches("x", r))).ToList();

        var parentBits = (1UL << parent.Permissions.Count) - 1;
        var childBits = ~parentBits;
        for (var a = 0; a < actions.Count; a++)
        {
            if ((actionMasks[a] & childBits) == 0)
            {
                continue;
            }

            for (var r = 0; r < resources.Count; r++)
            {
                var allowed = actionMasks[a] & resourceMasks[r];
                if ((allowed & childBits) != 0 && (allowed & parentBits) == 0)
                {
                    var witness = new Request(actions[a], resources[r]);
                    Assert.True(child.Allows(witness.Action, witness.Resource) && !parent.Allows(witness.Action, witness.Resource));
                    return witness;
                }
            }
        }

        return null;
    }

    private static ulong Mask(List<Permission> permissions, Func<Permission, bool> allows)
    {
        var mask = 0UL;
        for (var i = 0; i < permissions.Count; i++)
        {
            mask |= allows(permissions[i]) ? 1UL << i : 0;
        }

        return mask;
    }

    // The fixed part of a pattern: every segment but a trailing wildcard ('*' resource positions count).
    private static string[] Fixed(string pattern, char separator, string tail) =>
        pattern.Split(separator).Where(s => s != tail).ToArray();

    private static IEnumerable<string> Paths(List<string[]> fixedParts, int minLength, char separator)
    {
        var maxLength = fixedParts.Max(p => p.Length) + 2;
        IEnumerable<string[]> level = [[]];
        for (var length = 0; length <= maxLength; length++)
        {
            if (length >= minLength)
            {
                foreach (var path in level)
                {
                    yield return string.Join(separator, path);
                }
            }

            var alphabet = fixedParts.Where(p => p.Length > length && p[length] != "*").Select(p => p[length]).Append(Fresh).Distinct().ToList();
            level = level.SelectMany(path => alphabet.Select(s => (string[])[.. path, s])).ToList();
        }
    }
}
