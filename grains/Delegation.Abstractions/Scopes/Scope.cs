using System.Diagnostics.CodeAnalysis;

namespace Delegation.Scopes;

/// <summary>
/// A non-empty list of <see cref="Permission"/>s: what a grant allows. A request is allowed when any
/// permission allows it; coverage between scopes is decided exactly.
/// </summary>
public sealed class Scope : IEquatable<Scope>
{
    /// <summary>The most permissions a scope may list.</summary>
    public const int MaxPermissions = 64;

    // Only the permissions are kept: a tree grain holds one scope per grant, so every field here is paid a million
    // times in a large silo. Equality and its hash are computed from the array (at most 64 entries) instead of a set.
    private readonly Permission[] permissions;
    private readonly int hashCode;

    private Scope(Permission[] permissions)
    {
        this.permissions = permissions;
        for (var i = 0; i < permissions.Length; i++)
        {
            // Order-insensitive and blind to repeats, to agree with Equals.
            if (Array.IndexOf(permissions, permissions[i], 0, i) < 0)
            {
                hashCode ^= permissions[i].GetHashCode();
            }
        }
    }

    /// <summary>The permissions, in the order given.</summary>
    public IReadOnlyList<Permission> Permissions => Array.AsReadOnly(permissions);

    /// <summary>Parses a scope.</summary>
    /// <param name="permissions">One to <see cref="MaxPermissions"/> permission texts.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ScopeFormatException">
    /// The list is empty or too long, or an entry is null, blank, longer than <see cref="Permission.MaxLength"/>
    /// or malformed; the message is the user-facing error and names the first offending entry.
    /// </exception>
    public static Scope Parse(IEnumerable<string> permissions) =>
        TryCompile(permissions, out var scope, out var failure) ? scope : throw failure.ToException();

    /// <summary>
    /// Parses a scope read back from the store. Scopes stored before <c>.</c> and <c>..</c> resource segments were
    /// refused keep loading: such a segment stays a literal, which no valid request can match, so it allows nothing.
    /// </summary>
    /// <param name="permissions">The stored permission texts.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ScopeFormatException">The stored scope is malformed in another way.</exception>
    public static Scope ParseStored(IEnumerable<string> permissions) =>
        TryCompile(permissions, out var scope, out var failure, acceptDotSegments: true) ? scope : throw failure.ToException();

    /// <summary>Parses a scope without throwing.</summary>
    /// <param name="permissions">The permission texts.</param>
    /// <param name="scope">The scope, when every entry is valid.</param>
    /// <param name="error">The user-facing error naming the first offending entry, when one is not.</param>
    /// <returns>Whether the list is a valid scope.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] IEnumerable<string>? permissions,
        [NotNullWhen(true)] out Scope? scope,
        [NotNullWhen(false)] out string? error)
    {
        var parsed = TryCompile(permissions, out scope, out var failure);
        error = failure?.Message;
        return parsed;
    }

    /// <summary>
    /// Parses a scope as the store holds it, without throwing: as <see cref="ParseStored"/>, so a scope stored before
    /// dot segments were refused still loads (its dot segments allow nothing). What an enforcer caches from a chain.
    /// </summary>
    /// <param name="permissions">The stored permission texts.</param>
    /// <param name="scope">The scope, when every entry is valid.</param>
    /// <param name="error">The error naming the first offending entry, when one is not.</param>
    /// <returns>Whether the list is a valid stored scope.</returns>
    public static bool TryParseStored(
        [NotNullWhen(true)] IEnumerable<string>? permissions,
        [NotNullWhen(true)] out Scope? scope,
        [NotNullWhen(false)] out string? error)
    {
        var parsed = TryCompile(permissions, out scope, out var failure, acceptDotSegments: true);
        error = failure?.Message;
        return parsed;
    }

    /// <summary>
    /// Whether some permission allows a concrete request. A request that is not concrete and valid (see
    /// <see cref="RequestSyntax"/>) is never allowed. Allocates nothing.
    /// </summary>
    /// <param name="action">The concrete action, e.g. <c>tickets:read</c>.</param>
    /// <param name="resource">The concrete resource path; empty for none (the empty path).</param>
    /// <returns>Whether the request is allowed.</returns>
    public bool Allows(ReadOnlySpan<char> action, ReadOnlySpan<char> resource)
    {
        if (!RequestSyntax.IsValidAction(action) || !RequestSyntax.IsValidResource(resource))
        {
            return false;
        }

        foreach (var permission in permissions)
        {
            if (permission.MatchesValid(action, resource))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether every request <paramref name="child"/> allows, this scope allows: exact, including a child
    /// permission that only several of this scope's permissions cover together.
    /// </summary>
    /// <param name="child">The narrower scope, e.g. of a delegation.</param>
    /// <returns>Whether this scope covers <paramref name="child"/>.</returns>
    public bool Covers(Scope child)
    {
        ArgumentNullException.ThrowIfNull(child);
        foreach (var permission in child.permissions)
        {
            if (!Coverage.UnionCovers(permissions, permission))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical text of each permission, in order.</summary>
    /// <returns>The permission texts.</returns>
    public IReadOnlyList<string> ToStrings() => Array.ConvertAll(permissions, p => p.ToString());

    /// <summary>
    /// Whether both scopes list the same permissions, ignoring order and repeats. Scopes that list
    /// different permissions can still allow the same requests; test that with <see cref="Covers"/> both ways.
    /// </summary>
    /// <param name="other">The other scope.</param>
    /// <returns>Whether the scopes list the same permissions.</returns>
    public bool Equals(Scope? other) =>
        other is not null && hashCode == other.hashCode && ContainsAll(permissions, other.permissions) && ContainsAll(other.permissions, permissions);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Scope);

    /// <inheritdoc />
    public override int GetHashCode() => hashCode;

    /// <summary>The canonical permissions, comma-separated, for logs and debugging.</summary>
    /// <returns>The scope as text.</returns>
    public override string ToString() => string.Join(", ", ToStrings());

    private static bool ContainsAll(Permission[] these, Permission[] those)
    {
        foreach (var permission in those)
        {
            if (Array.IndexOf(these, permission) < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryCompile(
        IEnumerable<string>? texts,
        [NotNullWhen(true)] out Scope? scope,
        [NotNullWhen(false)] out ParseFailure? failure,
        bool acceptDotSegments = false)
    {
        scope = null;
        var parsed = new List<Permission>();
        foreach (var text in texts ?? [])
        {
            if (parsed.Count == MaxPermissions)
            {
                failure = ParseFailure.InScope($"scope must contain at most {MaxPermissions} permissions");
                return false;
            }

            if (!Permission.TryParse(text, parsed.Count + 1, out var permission, out failure, acceptDotSegments))
            {
                return false;
            }

            parsed.Add(permission);
        }

        if (parsed.Count == 0)
        {
            failure = ParseFailure.InScope("scope must contain at least one permission");
            return false;
        }

        failure = null;
        scope = new Scope([.. parsed]);
        return true;
    }
}
