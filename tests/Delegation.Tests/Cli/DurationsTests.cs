using Delegation.Cli.CommandLine;

namespace Delegation.Tests.Cli;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("15m", 900)]
    [InlineData("1h30m", 5400)]
    [InlineData("7d", 604800)]
    [InlineData("1H", 3600)]
    [InlineData("1m500ms", 60.5)]
    public void Durations_read_as_operators_type_them(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("soon")]
    [InlineData("1h 30m")]
    [InlineData("5w")]
    [InlineData("999999999999d")]
    public void Anything_else_is_not_a_duration(string text) => Assert.False(Durations.TryParse(text, out _));

    [Theory]
    [InlineData(3725, "1h 02m")]
    [InlineData(200, "3m 20s")]
    [InlineData(9, "9s")]
    [InlineData(183600, "2d 3h")]
    public void Durations_print_their_two_largest_units(int seconds, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));
}
