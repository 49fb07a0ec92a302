using Delegation.Scopes;
using Delegation.Tests.Scopes.Reference;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Delegation.Tests.Scopes;

/// <summary>
/// The permission reads its patterns in place from its canonical text; these properties compare it, on random texts
/// valid and not, with the previous representation (two compiled pattern objects, kept in tests as
/// <see cref="ReferencePermission"/>): the same texts accepted, the same parts and canonical text, the same requests
/// allowed, the same coverage. The alphabets make literals that are prefixes of one another ("a", "ab"), which a
/// comparison of texts instead of segments would get wrong.
/// </summary>
[Properties(Arbitrary = [typeof(CompactPermissionPropertyTests)], MaxTest = 1000)]
public class CompactPermissionPropertyTests
{
    private static readonly string[] Tokens = ["a", "ab", "b", "*", "**", ".", "..", "A1", "x_y", "~", "!", " ", "", "a*"];
    private static readonly string[] Separators = [":", ":", "/", "/", "@"];

    public static Arbitrary<string> Texts() => Arb.From(Gen.OneOf(
        from n in Gen.Choose(1, 6)
        from tokens in Gen.ArrayOf(Gen.Elements(Tokens), n)
        from separators in Gen.ArrayOf(Gen.Elements(Separators), n)
        from trailing in Gen.Elements(false, false, true)
        let joined = string.Concat(tokens.Zip(separators, (t, s) => t + s))
        select trailing ? joined : joined[..^1],
        ValidTexts));

    /// <summary>Mostly valid requests over the patterns' literals, so that many match; some invalid ones.</summary>
    public static Arbitrary<Request> Requests() => Arb.From(
        from actionLength in Gen.Frequency((1, Gen.Constant(0)), (9, Gen.Choose(1, 3)))
        from action in Gen.ArrayOf(RequestSegment, actionLength)
        from resourceLength in Gen.Choose(0, 4)
        from resource in Gen.ArrayOf(RequestSegment, resourceLength)
        select new Request(string.Join(':', action), string.Join('/', resource)));

    [Property]
    public bool The_same_texts_are_accepted_with_the_same_parts_and_canonical_text(string text, bool stored)
    {
        var reference = ReferencePermission.Parse(text, acceptDotSegments: stored);
        var compact = Parse(text, stored);
        return reference is null
            ? compact is null
            : compact is not null
              && compact.ToString() == reference.Canonical
              && compact.Action == reference.Action
              && compact.Resource == reference.Resource
              && Parse(reference.Canonical, stored) is { } reparsed
              && reparsed.Equals(compact) && reparsed.GetHashCode() == compact.GetHashCode();
    }

    [Property]
    public bool The_same_requests_are_allowed(string text, Request[] requests)
    {
        var reference = ReferencePermission.Parse(text, acceptDotSegments: true);
        var compact = Parse(text, stored: true);
        return reference is null || requests.All(r =>
            compact!.Matches(r.Action, r.Resource) == (IsValid(r) && reference.Matches(r.Action, r.Resource)));
    }

    [Property]
    public bool Coverage_of_a_permission_by_a_union_is_the_same(string[] parentTexts, string childText)
    {
        var parents = parentTexts.Take(4).Select(t => (Reference: ReferencePermission.Parse(t, acceptDotSegments: true), Compact: Parse(t, stored: true)))
            .Where(p => p.Reference is not null).ToList();
        var child = ReferencePermission.Parse(childText, acceptDotSegments: true);
        if (parents.Count == 0 || child is null)
        {
            return true;
        }

        var parentScope = Scope.ParseStored(parents.Select(p => p.Compact!.ToString()));
        var childScope = Scope.ParseStored([childText]);
        return parentScope.Covers(childScope) == ReferencePermission.UnionCovers([.. parents.Select(p => p.Reference!)], child);
    }

    [Property]
    public Property Coverage_of_generated_scope_pairs_is_the_same() =>
        Prop.ForAll(Arb.From(ScopeGenerators.Pairs), pair =>
        {
            var parents = pair.Parent.Permissions.Select(p => ReferencePermission.Parse(p.ToString())!).ToList();
            var expected = pair.Child.Permissions.All(c => ReferencePermission.UnionCovers(parents, ReferencePermission.Parse(c.ToString())!));
            return pair.Parent.Covers(pair.Child) == expected;
        });

    [Fact]
    public void Random_texts_are_often_valid_and_often_not()
    {
        var texts = Texts().Generator.Sample(1000);
        var valid = texts.Count(t => ReferencePermission.Parse(t) is not null);

        Assert.InRange(valid, 200, 800);
    }

    [Fact]
    public void A_canonical_text_is_kept_as_given_and_only_a_lone_double_star_resource_is_cut()
    {
        var text = string.Concat("tickets:read@projects/", "p1/**");

        Assert.Same(text, Permission.Parse(text).ToString());
        Assert.Equal("tickets:read", Permission.Parse("tickets:read@**").ToString());
        Assert.Equal("**", Permission.Parse("tickets:read@**").Resource);
    }

    private static Gen<string> RequestSegment =>
        Gen.Frequency((12, Gen.Elements("a", "ab", "b", "zz")), (1, Gen.Elements("A1", ".", "*", string.Empty)));

    private static Gen<string> ValidTexts =>
        from actionLength in Gen.Choose(0, 3)
        from literals in Gen.ArrayOf(Gen.Elements("a", "ab", "b"), actionLength)
        from actionOpen in actionLength == 0 ? Gen.Constant(true) : Gen.Elements(true, false)
        from resourceLength in Gen.Choose(0, 3)
        from positions in Gen.ArrayOf(Gen.Elements("a", "ab", "b", "*"), resourceLength)
        from resourceOpen in Gen.Elements(true, false)
        from written in Gen.Elements(true, false)
        let action = string.Join(':', actionOpen ? [.. literals, "*"] : literals)
        let resource = string.Join('/', resourceOpen ? [.. positions, "**"] : positions)
        select resource.Length == 0 ? action : resourceLength == 0 && !written ? action : $"{action}@{resource}";

    private static bool IsValid(Request request) =>
        RequestSyntax.TryValidateAction(request.Action, out _) && RequestSyntax.TryValidateResource(request.Resource, out _);

    private static Permission? Parse(string text, bool stored)
    {
        if (!stored)
        {
            return Permission.TryParse(text, out var permission, out _) ? permission : null;
        }

        return Scope.TryParseStored([text], out var scope, out _) ? scope.Permissions[0] : null;
    }
}
