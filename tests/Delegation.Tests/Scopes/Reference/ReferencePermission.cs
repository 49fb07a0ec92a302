namespace Delegation.Tests.Scopes.Reference;

/// <summary>
/// A permission as it was parsed, matched and covered before patterns were read in place from its canonical text
/// (the previous production code, with its two compiled pattern objects): the reference that the compact
/// <see cref="Delegation.Scopes.Permission"/> must agree with on every input.
/// </summary>
internal sealed record ReferencePermission(string Action, string? Resource, ReferenceActionPattern ActionPattern, ReferenceResourcePattern ResourcePattern)
{
    public string Canonical => Resource is null or "**" ? Action : $"{Action}@{Resource}";

    public static ReferencePermission? Parse(string text, bool acceptDotSegments = false)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 512 || text.Count(c => c == '@') > 1)
        {
            return null;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var action = at < 0 ? text : text[..at];
        var resource = at < 0 ? null : text[(at + 1)..];
        var actionPattern = ReferenceActionPattern.Parse(action);
        var resourcePattern = resource is null ? ReferenceResourcePattern.Everything : ReferenceResourcePattern.Parse(resource, acceptDotSegments);
        return actionPattern is null || resourcePattern is null ? null : new ReferencePermission(action, resource, actionPattern, resourcePattern);
    }

    /// <summary>Whether the permission allows a request that is valid and concrete.</summary>
    public bool Matches(string action, string resource) => ActionPattern.Matches(action) && ResourcePattern.Matches(resource);

    /// <summary>The exact union coverage of the previous <c>Coverage.UnionCovers</c>, over these patterns.</summary>
    public static bool UnionCovers(IReadOnlyList<ReferencePermission> parents, ReferencePermission child)
    {
        var resource = child.ResourcePattern;
        var candidates = parents
            .Where(p => p.ActionPattern.Covers(child.ActionPattern) && p.ResourcePattern.CoversPositionsOf(resource))
            .Select(p => (Fixed: p.ResourcePattern.FixedLength, Open: p.ResourcePattern.IsOpen))
            .ToList();
        var longest = candidates.Select(c => c.Fixed).Append(resource.FixedLength).Max();
        var lastLength = resource.IsOpen ? longest + 1 : resource.FixedLength;
        for (var length = resource.FixedLength; length <= lastLength; length++)
        {
            if (!candidates.Any(c => c.Open ? length >= c.Fixed : length == c.Fixed))
            {
                return false;
            }
        }

        return true;
    }
}
