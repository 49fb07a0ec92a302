using System.Text;
using Delegation.Grains.Errors;
using Delegation.Silo.Api;

namespace Delegation.Tests.Hardening;

/// <summary>
/// <see cref="StrictJson.Validate"/> on its own: the allocation-free pass for plain bodies and the full check refuse and
/// accept the same bodies, and a refusal names the repeated key whichever pass met it first.
/// </summary>
public sealed class StrictJsonValidationTests
{
    [Theory]
    [InlineData("""{"token":"t","action":"a","Token":"u"}""", "Token")]
    [InlineData("""{"outer":{"k":1,"K":2}}""", "K")]
    [InlineData("""[{"a":1},{"b":1,"b":2}]""", "b")]
    [InlineData("""{"a":1,"\u0061":2}""", "a")]
    [InlineData("""{"x":"\n","a":1,"a":2}""", "a")]
    public void A_key_given_twice_in_one_object_is_refused_with_its_name(string json, string key)
    {
        var refusal = Assert.Throws<RequestValidationException>(() => StrictJson.Validate(Encoding.UTF8.GetBytes(json)));

        Assert.Contains($"'{key}' appears more than once", refusal.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"token":"t","action":"a","resource":"r"}""")]
    [InlineData("""{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}""")]
    [InlineData("""{"é":1,"e":2}""")]
    [InlineData("""{"a":"\u00e9","b":"\n"}""")]
    public void Keys_repeated_only_across_objects_are_accepted(string json)
    {
        StrictJson.Validate(Encoding.UTF8.GetBytes(json));
    }

    [Fact]
    public void More_keys_than_the_plain_pass_keeps_are_checked_in_full()
    {
        var distinct = Keys(40);
        var repeated = distinct[..^1] + ",\"k3\":0}";

        StrictJson.Validate(Encoding.UTF8.GetBytes(distinct));
        var refusal = Assert.Throws<RequestValidationException>(() => StrictJson.Validate(Encoding.UTF8.GetBytes(repeated)));
        Assert.Contains("'k3' appears more than once", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_that_does_not_parse_is_refused_as_such()
    {
        var refusal = Assert.Throws<RequestValidationException>(() => StrictJson.Validate("""{"a":1,}"""u8));

        Assert.StartsWith("The body is not valid JSON", refusal.Message, StringComparison.Ordinal);
    }

    private static string Keys(int count) =>
        "{" + string.Join(',', Enumerable.Range(0, count).Select(i => $"\"k{i}\":{i}")) + "}";
}
