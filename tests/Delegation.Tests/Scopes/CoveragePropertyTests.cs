using Delegation.Scopes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Delegation.Tests.Scopes;

[Properties(Arbitrary = [typeof(ScopeGenerators)], MaxTest = 300)]
public class CoveragePropertyTests
{
    [Property]
    public Property Whatever_a_child_allows_its_parent_allows(ScopePair pair, Request[] requests)
    {
        var covers = pair.Parent.Covers(pair.Child);
        var sound = !covers || requests.All(r => !pair.Child.Allows(r.Action, r.Resource) || pair.Parent.Allows(r.Action, r.Resource));
        return sound.Classify(covers, "covered").Classify(!covers, "not covered");
    }

    [Property]
    public Property A_covering_parent_allows_every_request_its_child_allows_among_all_short_requests(ScopePair pair)
    {
        var covers = pair.Parent.Covers(pair.Child);
        return (!covers || BruteForce.Witness(pair.Parent, pair.Child) is null).When(covers);
    }

    [Property]
    public Property A_parent_that_does_not_cover_its_child_denies_some_request_the_child_allows(ScopePair pair)
    {
        var covers = pair.Parent.Covers(pair.Child);
        return (covers || BruteForce.Witness(pair.Parent, pair.Child) is not null).When(!covers);
    }

    [Property]
    public bool Every_scope_covers_itself(Scope scope) => scope.Covers(scope);

    [Property]
    public Property Coverage_is_transitive(ScopeChain chain)
    {
        var premise = chain.First.Covers(chain.Second) && chain.Second.Covers(chain.Third);
        return (!premise || chain.First.Covers(chain.Third)).Classify(premise, "chain covered");
    }

    [Property]
    public bool A_scope_of_one_permission_covers_exactly_what_that_permission_covers(ScopePair pair)
    {
        var parent = pair.Parent.Permissions[0];
        var child = pair.Child.Permissions[0];
        return parent.Covers(child) == Scope.Parse([parent.ToString()]).Covers(Scope.Parse([child.ToString()]));
    }

    [Property]
    public bool A_permission_parsed_from_its_canonical_text_is_equal_and_matches_the_same_requests(Scope scope, Request[] requests) =>
        scope.Permissions.All(p =>
        {
            var reparsed = Permission.Parse(p.ToString());
            return reparsed.Equals(p) && requests.All(r => reparsed.Matches(r.Action, r.Resource) == p.Matches(r.Action, r.Resource));
        });

    [Fact]
    public void Generated_pairs_are_often_covered_and_often_not()
    {
        var pairs = ScopeGenerators.Pairs.Sample(500);
        var covered = pairs.Count(p => p.Parent.Covers(p.Child));

        Assert.InRange(covered, 100, 400);
    }
}
